#pragma once
// Whether a run directory's run is still going, read from its files alone (the process that
// writes it is not asked). `faultline test` writes results.json last; until then it rewrites
// online.json every second (controller/run/online_run.h) when the workload has an online
// check, and appends to history.jsonl and faultline.log as it goes. So:
//   finished     results.json exists;
//   running      no results.json, and online.json was rewritten in the last kOnlineStale
//                (without online.json: history.jsonl, faultline.log or test.json changed in
//                the last kQuietStale, a wider margin because nothing is written between,
//                say, the last operation and the end of a long offline check);
//   interrupted  neither: the process stopped before its end (killed, crashed, power lost).

#include <chrono>
#include <filesystem>
#include <string>

namespace faultline {

enum class RunStatus { kRunning, kInterrupted, kFinished };

inline constexpr std::chrono::seconds kOnlineStale{10};
inline constexpr std::chrono::seconds kQuietStale{60};

// "running" | "interrupted" | "finished"
std::string to_string(RunStatus status);

struct RunState {
  RunStatus status = RunStatus::kInterrupted;
  // Seconds since the newest file the rule above looked at was written; -1 if none exists.
  double quiet_s = -1;
};

RunState run_state(const std::filesystem::path& dir);

}  // namespace faultline
