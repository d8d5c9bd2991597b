#include "reports/run_status.h"

#include <algorithm>
#include <initializer_list>

namespace faultline {

namespace fs = std::filesystem;

std::string to_string(RunStatus status) {
  switch (status) {
    case RunStatus::kRunning:
      return "running";
    case RunStatus::kFinished:
      return "finished";
    case RunStatus::kInterrupted:
      break;
  }
  return "interrupted";
}

namespace {

// Seconds since the newest of `names` in `dir` was written; -1 if none exists.
double quiet_seconds(const fs::path& dir, std::initializer_list<const char*> names) {
  double quiet = -1;
  const auto now = fs::file_time_type::clock::now();
  for (const char* name : names) {
    std::error_code ec;
    const auto written = fs::last_write_time(dir / name, ec);
    if (ec) continue;
    const double age = std::max(0.0, std::chrono::duration<double>(now - written).count());
    quiet = quiet < 0 ? age : std::min(quiet, age);
  }
  return quiet;
}

}  // namespace

RunState run_state(const fs::path& dir) {
  RunState state;
  std::error_code ec;
  if (fs::is_regular_file(dir / "results.json", ec)) {
    state.status = RunStatus::kFinished;
    state.quiet_s = quiet_seconds(dir, {"results.json"});
    return state;
  }
  double limit = std::chrono::duration<double>(kOnlineStale).count();
  state.quiet_s = quiet_seconds(dir, {"online.json"});
  if (state.quiet_s < 0) {
    limit = std::chrono::duration<double>(kQuietStale).count();
    state.quiet_s = quiet_seconds(dir, {"history.jsonl", "faultline.log", "test.json"});
  }
  state.status =
      state.quiet_s >= 0 && state.quiet_s <= limit ? RunStatus::kRunning : RunStatus::kInterrupted;
  return state;
}

}  // namespace faultline
