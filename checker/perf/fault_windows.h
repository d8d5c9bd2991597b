#pragma once
// Fault windows: the stretches of a history during which the nemesis had a fault in force,
// read from its operations (process "nemesis").
//
// A window of kind K opens at the first `start-K` record while none of kind K is open, and
// closes at the last record of the `stop-K` that follows (Jepsen's invoke/info pair, or
// faultline's single info record). Jepsen's bare `start`/`stop` give kind "fault". A window
// never stopped lasts to the end of the history (`open`). Windows of different kinds may
// overlap; an instant is "in faults" when any window covers it.

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/history/history.h"

namespace faultline {

struct FaultWindow {
  std::string kind;               // "partition", "kill", ..., "fault"
  std::int64_t start = 0;         // op.time (ns since test start) of the start record
  std::int64_t end = 0;           // op.time of the stop's last record; history end if `open`
  bool open = false;              // never stopped
  std::int64_t start_index = -1;  // Operation::index of the start record
};

// Windows in order of their start. Nemesis records without a time are skipped.
std::vector<FaultWindow> fault_windows(const History& history);

// The index into `windows` of the first window covering `time` (start <= time <= end), or -1.
int window_at(const std::vector<FaultWindow>& windows, std::int64_t time);

// The time of the last record that healed a fault (a stop-K, or `stop`), or -1 if none.
std::int64_t last_heal_time(const History& history);

// Whether the invocation `op` is one of the final operations a run makes after healing
// (`"final": true` in its record, or f "final-read").
bool is_final_op(const Operation& invoke);

// [{"kind", "start_ms", "end_ms", "open"}] with times in milliseconds.
boost::json::array fault_windows_json(const std::vector<FaultWindow>& windows);

}  // namespace faultline
