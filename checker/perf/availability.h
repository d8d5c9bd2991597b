#pragma once
// Availability and latency inside and outside fault windows.
//
// Every client operation except the final ones (is_final_op) counts once, on the side of
// its invocation time: "in faults" when a fault window (fault_windows.h) covers that instant,
// "outside" otherwise. Availability is ok / all on that side: fail and info (unknown, or never
// completed) both count as unavailable. Latency (completion - invocation, ms) is over ok
// operations, per op type (f) and for all together.

#include <boost/json.hpp>
#include <map>
#include <string>

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

struct AvailabilityResult {
  SideStats in_faults, outside_faults, all;
  std::size_t fault_windows = 0;

  // {"fault_windows", "in_faults": {...}, "outside_faults": {...}, "all": {...}} where each
  // side is {"operations","ok","fail","compare_failed","info","availability","latency_ms":{...},
  // "by_f": {f: {"count","answered","availability","latency_ms"}}}.
  boost::json::object to_json() const;
};

// Throws InputError for a history whose operations do not pair (checker/history/pairing.h).
AvailabilityResult check_availability(const History& history);

}  // namespace faultline
