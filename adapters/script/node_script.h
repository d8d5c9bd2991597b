#pragma once
// How a test file's shell text runs on a node: one fixed bash program (kNodeScript) reads the
// environment and the user's command from stdin, so no value is ever spliced into command text.
//
// stdin is NAME=VALUE records, each ended by a NUL byte, then an empty record, then the
// command text (up to EOF). Each record is exported as it is (`export "$kv"` evaluates
// nothing): quotes, `$(...)`, `;` and newlines in a value arrive byte for byte.

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "remote/command.h"

namespace faultline::adapters {

// An environment in order (names are unique and valid shell names).
using Environment = std::vector<std::pair<std::string, std::string>>;

// What the fixed program does with the user's command:
//   run      runs it (install, wipe, healthy, primaries, version);
//   start    no-op when the store's process runs (pid file / process name), else runs it with
//            stdin from /dev/null, under libfaketime when FAULTLINE_PRELOAD is set, its
//            output into a file shown on stderr once it returns (so a background process
//            holding stdout cannot keep the step waiting);
//   restart  first waits up to 10 s for a killed process to be gone, then as start;
//   stop     resumes the process, runs the command (or, when empty, SIGTERMs the process),
//            waits up to 10 s for it to be gone, then SIGKILLs what is left;
//   KILL, STOP, CONT  signal the process (KILL resumes it first, then waits up to 5 s);
//   alive    exits 0 when the process runs.
// The process is found as FAULTLINE_PID_FILE names it (checked against FAULTLINE_PROCESS_NAME
// when both are given), or else by FAULTLINE_PROCESS_NAME, in this node's network namespace.
enum class NodeStep { kRun, kStart, kRestart, kStop, kKill, kPause, kResume, kAlive };

// The command (as root) that performs `step` with `command` text in `environment`.
remote::Command node_script(NodeStep step, const std::string& command,
                            const Environment& environment, std::chrono::milliseconds timeout);

// `text` with each ${NAME} and $NAME whose NAME is in `environment` replaced by its value.
// Throws std::invalid_argument naming a ${FAULTLINE_...} or $FAULTLINE_... that is not in
// `environment`.
std::string expand_variables(const std::string& text, const Environment& environment);

// "FAULTLINE_SETTING_" + name upper-cased, '-' -> '_'; throws std::invalid_argument unless the
// result is a valid variable name.
std::string setting_variable(const std::string& setting);

}  // namespace faultline::adapters
