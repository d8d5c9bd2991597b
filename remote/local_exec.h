#pragma once
// Running programs on the controller machine (ip, ssh-keygen, sshd...): argv lists passed to
// execvp, never a shell. stdout and stderr are captured together without blocking either.

#include <chrono>
#include <string>
#include <vector>

namespace faultline::remote {

struct LocalResult {
  int exit_status = -1;  // -1 if killed by a signal or timed out
  bool timed_out = false;
  std::string out, err;
};

struct LocalExecOptions {
  std::string stdin_data;
  std::chrono::milliseconds timeout{30'000};  // then SIGKILL
};

// Runs argv and waits for it. Throws std::runtime_error if it cannot be started.
LocalResult run_local(const std::vector<std::string>& argv, const LocalExecOptions& options = {});

// run_local, and throws std::runtime_error("`cmd` failed (status N): stderr tail") unless it
// exited 0. Returns stdout.
std::string check_local(const std::vector<std::string>& argv, const LocalExecOptions& options = {});

}  // namespace faultline::remote
