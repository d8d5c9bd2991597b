#pragma once
// ProcessClient: a Client that is a program of any language, run on the controller and spoken
// to by the client protocol (docs/client-protocol.md): one JSON invocation per line on its
// stdin, one JSON reply per line on its stdout. One program per worker process: it is started
// at the first operation (with FAULTLINE_PROCESS set to that operation's process) and retired
// with the client object.
//
// The program's trouble is an outcome, never an exception: a reply later than the timeout, a
// line that is not a reply, or a program that exits makes the operation `info` with the
// reason in `error`, and the program is killed (its whole process group). The controller then
// retires the worker's process and makes a fresh client. A program that cannot be started at
// all makes the operation `fail` (nothing was sent). Its stderr goes to the log line by line,
// prefixed "client <process> (<node>): ".

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "adapters/db.h"
#include "adapters/script/node_script.h"

namespace faultline::adapters {

struct ClientProgram {
  std::vector<std::string> argv;    // argv[0] looked up in PATH unless it names a path
  std::filesystem::path directory;  // the working directory; relative paths resolve here
  Environment environment;          // added to the controller's own (FAULTLINE_PROCESS is added)
  std::string node;                 // for log lines
  Logger log;                       // stderr lines; optional
  // Extra time the first operation of a program may take, for the program's own start-up.
  std::chrono::milliseconds startup_allowance{5'000};
};

// Throws DatabaseError (one line) when argv is empty or argv[0] is no executable file (in PATH,
// or relative to `directory` when it names a path).
void check_program_startable(const std::vector<std::string>& argv,
                             const std::filesystem::path& directory);

class ProcessClient final : public Client {
 public:
  ProcessClient(ClientProgram program, ClientOptions options);
  ~ProcessClient() override;
  Operation invoke(const Operation& op) override;

  // The JSON line sent for `op` (without the newline): f, key when present, value, extras.
  static std::string invocation_line(const Operation& op);

 private:
  class Child;
  // Completes `done` (a copy of the invocation) from the reply line; false when the line is
  // not a reply.
  static bool completion(const std::string& line, Operation& done);
  Operation retire(Operation done, const std::string& why);

  ClientProgram program_;
  ClientOptions options_;
  std::unique_ptr<Child> child_;
  std::int64_t process_ = -1;  // the process the running child was started for
};

}  // namespace faultline::adapters
