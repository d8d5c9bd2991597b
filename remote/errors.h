#pragma once
// Errors of the remote layer. Every RemoteError names the node and, when a command was
// involved, the command, its exit status and the tail of its stderr, so one line on the
// controller's stderr says what failed where. The command line maps NodeUnreachable (and any
// other RemoteError) to exit 69 and ConfigError to exit 64.

#include <optional>
#include <stdexcept>
#include <string>

namespace faultline::remote {

class RemoteError : public std::runtime_error {
 public:
  // `problem` is the human summary ("exited with status 2", "timed out after 500 ms").
  RemoteError(std::string node, std::string command, std::optional<int> exit_status,
              std::string stderr_tail, const std::string& problem);

  const std::string& node() const { return node_; }
  const std::string& command() const { return command_; }  // display form, may be empty
  std::optional<int> exit_status() const { return exit_status_; }
  const std::string& stderr_tail() const { return stderr_tail_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string node_, command_, problem_;
  std::optional<int> exit_status_;
  std::string stderr_tail_;
};

// The node cannot be reached or authenticated against: connection refused or timed out,
// authentication failed, host key unknown or changed.
class NodeUnreachable : public RemoteError {
 public:
  NodeUnreachable(std::string node, const std::string& problem)
      : RemoteError(std::move(node), "", std::nullopt, "", problem) {}
};

// The node's host key does not match known_hosts (or is absent from it).
class HostKeyError : public NodeUnreachable {
 public:
  using NodeUnreachable::NodeUnreachable;
};

// A command ran longer than its Command::timeout. The remote process was sent SIGKILL.
class CommandTimeout : public RemoteError {
 public:
  using RemoteError::RemoteError;
};

// Bad node configuration: an invalid node name, a malformed nodes file, conflicting options.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The last `max_bytes` of `text`, trimmed of trailing newlines (for error messages).
std::string tail(const std::string& text, std::size_t max_bytes = 400);

}  // namespace faultline::remote
