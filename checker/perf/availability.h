#pragma once
// Availability and latency inside and outside fault windows.
//
// Every client operation except the final ones (is_final_op) counts once, on the side of
// its invocation time: "in faults" when a fault window (fault_windows.h) covers that instant,
// "outside" otherwise. Availability is ok / all on that side: fail and info (unknown, or never
// completed) both count as unavailable. Latency (completion - invocation, ms) is over ok
// operations, per op type (f) and for all together.
//
// Counting operations flatters a mode whose requests block: a client stuck for a 2 s timeout
// makes one unavailable operation while a client served locally makes hundreds of good ones.
// So availability is also measured in time: the run (first invocation to last completion of
// non-final client operations) is cut into bins of `bin_ms`, a bin being in faults when its
// middle is. A client lane (the node the operation went to when recorded, else its process)
// *wants* service in a bin when one of its operations is in flight during it (invoked, not yet
// completed; never completed: to the history's end), and is *served* when one of them completed
// ok (or answered a compare that failed) in it. Time availability of a side = served (lane,
// bin) slots / wanted slots; per op type the same with that type's operations only (a lane
// blocked in a write does not want a read).

#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "checker/history/history.h"
#include "checker/perf/distribution.h"

namespace faultline {

struct SideStats {
  std::size_t operations = 0, ok = 0, fail = 0, info = 0;
  std::size_t compare_failed = 0;               // fail with error "compare failed" (answered)
  Distribution latency_ms;                      // ok operations of every type
  std::map<std::string, Distribution> by_f_ms;  // ok operations of one type
  std::map<std::string, std::size_t> count_by_f;
  std::map<std::string, std::size_t> ok_by_f;  // answered (ok or compare failed), per type

  // (ok + compare_failed) / operations; 1 when there were none (nothing was refused).
  double availability() const;
};

// Time-weighted availability of one side (in or outside faults).
struct TimeSide {
  std::size_t slots = 0;   // (lane, bin) pairs that wanted service
  std::size_t served = 0;  // of which served
  std::size_t bins = 0;
  std::size_t ok = 0;  // ok completions in those bins
  double bin_ms = 0;
  std::map<std::string, TimeSide> by_f;  // the same per op type (one level deep)

  // served / slots; 1 when there were no slots.
  double availability() const;
  // ok completions per second of the side's bins (0 when none).
  double ok_per_s() const;
};

struct AvailabilityOptions {
  double bin_ms = 1000;
};

// One bin of the time-weighted measure, every op type together (for plots over time).
struct TimeBin {
  bool in_faults = false;
  std::size_t slots = 0, served = 0;  // (lane, bin) slots that wanted service / were served
};

struct AvailabilityResult {
  SideStats in_faults, outside_faults, all;
  TimeSide time_in_faults, time_outside_faults;
  std::size_t fault_windows = 0;
  std::int64_t time_begin = 0;     // op.time of the first bin's start
  std::vector<TimeBin> time_bins;  // bin b covers [time_begin + b·bin_ms, + bin_ms)

  // {"fault_windows", "in_faults": {...}, "outside_faults": {...}, "all": {...}} where each
  // side is {"operations","ok","fail","compare_failed","info","availability","latency_ms":{...},
  // "by_f": {f: {"count","answered","availability","latency_ms"}}}, and "time":
  // {"bin_ms", "in_faults": {...}, "outside_faults": {...}} with each side
  // {"slots","served","bins","availability","ok_per_s","by_f": {f: {...}}}.
  boost::json::object to_json() const;
};

// Throws InputError for a history whose operations do not pair (checker/history/pairing.h).
AvailabilityResult check_availability(const History& history,
                                      const AvailabilityOptions& options = {});

}  // namespace faultline
