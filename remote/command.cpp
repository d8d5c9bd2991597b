#include "remote/command.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace faultline::remote {
namespace {

bool is_safe_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '@' || c == '%' || c == '+' || c == '=' || c == ':' || c == ',' || c == '.' ||
         c == '/' || c == '-';
}

}  // namespace

std::string shell_quote(std::string_view word) {
  if (word.empty()) return "''";
  bool safe = true;
  for (char c : word) safe = safe && is_safe_char(c);
  if (safe) return std::string(word);
  // Inside single quotes nothing is special except the closing quote itself, which is
  // written as: close quote, escaped quote, reopen quote.
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

std::string shell_join(const std::vector<std::string>& argv) {
  if (argv.empty()) throw std::invalid_argument("empty command");
  std::string line;
  for (const auto& word : argv) {
    if (word.find('\0') != std::string::npos) {
      throw std::invalid_argument("command argument contains a NUL byte");
    }
    if (!line.empty()) line += ' ';
    line += shell_quote(word);
  }
  return line;
}

std::string Command::display() const {
  std::string line;
  for (const auto& word : argv) {
    if (!line.empty()) line += ' ';
    line += shell_quote(word);
  }
  constexpr std::size_t kMax = 200;
  if (line.size() > kMax) line = line.substr(0, kMax) + "...";
  for (char& c : line) {
    if (c == '\n') c = ' ';
  }
  return line;
}

std::string command_line(const Command& command, const SudoPolicy& policy) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f",
                static_cast<double>(std::max<long long>(command.timeout.count(), 1)) / 1000.0);
  std::string line = "timeout -s KILL " + std::string(seconds) + " " + shell_join(command.argv);
  if ((command.sudo || policy.always) && !policy.user_is_root) {
    // -n: never prompt (fail instead of hanging); -S -p '': read the password from stdin.
    line = (policy.with_password ? "sudo -S -p '' -- " : "sudo -n -- ") + line;
  }
  return line;
}

}  // namespace faultline::remote
