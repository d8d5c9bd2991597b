#include "remote/errors.h"

namespace faultline::remote {
namespace {

std::string describe(const std::string& node, const std::string& command,
                     std::optional<int> exit_status, const std::string& stderr_tail,
                     const std::string& problem) {
  std::string text = "node " + (node.empty() ? std::string("?") : node);
  if (!command.empty()) text += ": `" + command + "`";
  text += ": " + problem;
  if (exit_status && problem.find("status") == std::string::npos) {
    text += " (exit status " + std::to_string(*exit_status) + ")";
  }
  if (!stderr_tail.empty()) text += ": " + stderr_tail;
  return text;
}

}  // namespace

RemoteError::RemoteError(std::string node, std::string command, std::optional<int> exit_status,
                         std::string stderr_tail, const std::string& problem)
    : std::runtime_error(describe(node, command, exit_status, stderr_tail, problem)),
      node_(std::move(node)),
      command_(std::move(command)),
      problem_(problem),
      exit_status_(exit_status),
      stderr_tail_(std::move(stderr_tail)) {}

std::string tail(const std::string& text, std::size_t max_bytes) {
  std::size_t end = text.size();
  while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r' || text[end - 1] == ' ')) --end;
  std::size_t begin = end > max_bytes ? end - max_bytes : 0;
  std::string out = text.substr(begin, end - begin);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';  // keep the error on one line
  }
  return begin > 0 ? "..." + out : out;
}

}  // namespace faultline::remote
