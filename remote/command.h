#pragma once
// A command to run on a node, as an argument list. The remote side (sshd) always hands a
// command line to the user's shell, so the argv is turned into one string in which every
// word is single-quoted: no word is ever interpreted by the shell ($, `, ;, quotes, newlines
// pass through literally). Nothing in faultline pastes strings into a shell line; to run a
// script, pass {"sh", "-c", script, "sh", arg1, ...} and refer to the arguments as "$1".

#include <chrono>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::remote {

struct Command {
  std::vector<std::string> argv;  // argv[0] is looked up in the node's PATH; must not be empty
  std::string stdin_data;         // written to the command's stdin, which is then closed
  bool sudo = false;              // run as root (via sudo unless the node's user is root)
  std::chrono::milliseconds timeout{30'000};  // whole command, from channel open to exit

  Command() = default;
  Command(std::initializer_list<std::string> words) : argv(words) {}
  explicit Command(std::vector<std::string> words) : argv(std::move(words)) {}

  Command& with_stdin(std::string data) {
    stdin_data = std::move(data);
    return *this;
  }
  Command& as_root(bool on = true) {
    sudo = on;
    return *this;
  }
  Command& with_timeout(std::chrono::milliseconds t) {
    timeout = t;
    return *this;
  }

  // For messages: the quoted command line (without sudo), shortened to ~200 chars.
  std::string display() const;
};

// One word quoted for a POSIX shell: 'abc' with each ' written as '\''. The empty word is ''.
// Words made only of [A-Za-z0-9_@%+=:,./-] are returned unquoted.
std::string shell_quote(std::string_view word);

// The whole argv, each word quoted, joined by spaces. Throws std::invalid_argument if argv is
// empty or a word contains a NUL byte (which no exec can carry).
std::string shell_join(const std::vector<std::string>& argv);

// How sudo is applied to commands with Command::sudo (or every command when `always`).
struct SudoPolicy {
  bool always = false;         // --sudo: wrap every command, not only those asking for root
  bool with_password = false;  // sudo -S: the password is sent first on stdin
  bool user_is_root = false;   // root needs no sudo at all
};

// The command line sent to the node: `timeout -s KILL <seconds> argv...` (the node enforces
// Command::timeout itself and kills the command's process group: sshd cannot signal a root
// session), wrapped as `sudo -n -- ...` (or `sudo -S -p '' -- ...` with a password) when the
// policy asks for it. argv[0] must therefore be a program, not a shell builtin; the node needs
// coreutils' `timeout`.
std::string command_line(const Command& command, const SudoPolicy& policy);

}  // namespace faultline::remote
