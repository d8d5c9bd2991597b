#pragma once
// SshSession: one SSH connection (libssh) to one node, opened once and reused for every
// command of a run; each exec opens a fresh channel on it. Authentication is by key (the
// node's key file, or ssh-agent / default identities); the host key is checked against the
// node's known_hosts file unless the node explicitly opts out.
//
// Every call has a deadline: connect uses SessionOptions::connect_timeout, exec the command's
// own timeout. Transient failures (connect, channel open) are retried with exponential backoff;
// a command that was started is never re-run. A session is used by one thread at a time (calls
// are serialised by an internal mutex); NodeSet runs sessions of different nodes in parallel.

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "remote/command.h"
#include "remote/errors.h"
#include "remote/node.h"

namespace faultline::remote {

struct SessionOptions {
  std::chrono::milliseconds connect_timeout{5'000};  // per attempt
  int attempts = 3;                                  // connect and channel-open attempts
  std::chrono::milliseconds backoff{100};            // doubled after each failed attempt
};

struct CommandResult {
  int exit_status = -1;                  // -1 when the process died from a signal (see exit_signal)
  std::string exit_signal;               // e.g. "KILL", empty when it exited normally
  std::string out;                       // everything written on stdout
  std::string err;                       // everything written on stderr
  std::chrono::microseconds elapsed{0};  // channel open to exit status
  bool ok() const { return exit_status == 0; }
};

class SshSession {
 public:
  explicit SshSession(Node node, SessionOptions options = {});
  ~SshSession();
  SshSession(const SshSession&) = delete;
  SshSession& operator=(const SshSession&) = delete;

  const Node& node() const { return node_; }

  // Connects and authenticates if not connected yet (exec does this on first use).
  // Throws HostKeyError on an unknown or changed host key, NodeUnreachable otherwise.
  void connect();
  bool connected() const;
  void disconnect();

  // Runs the command and returns how it ended, whatever its exit status. Throws
  // CommandTimeout (after sending SIGKILL and closing the channel) when it outlives
  // command.timeout, NodeUnreachable when the node cannot be reached, RemoteError when the
  // connection breaks during the command.
  CommandResult exec(const Command& command);

  // exec, and throws RemoteError (node, command, exit status, stderr tail) unless it exited 0.
  CommandResult run(const Command& command);

  // Writes `data` to `remote_path` (created or truncated, then chmod `mode`). Runs through a
  // command, so it honours sudo (`as_root`).
  void upload_data(const std::string& data, const std::string& remote_path, int mode = 0644,
                   bool as_root = false);
  void upload(const std::filesystem::path& local_path, const std::string& remote_path,
              int mode = 0644, bool as_root = false);
  // Reads a remote file whole (throws RemoteError if it cannot be read).
  std::string download_data(const std::string& remote_path, bool as_root = false);
  void download(const std::string& remote_path, const std::filesystem::path& local_path,
                bool as_root = false);

 private:
  struct Impl;
  void connect_locked();
  CommandResult exec_locked(const Command& command);

  Node node_;
  SessionOptions options_;
  mutable std::mutex mutex_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace faultline::remote
