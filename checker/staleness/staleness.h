#pragma once
// Staleness of register reads, in time (Δ-atomicity, Golab, Li & Shah, PODC 2011) and in
// versions (k-atomicity, Aiyer, Alvisi & Bazzi, DISC 2005).
//
// Input: a register history (read / write v / cas [old new], per `key`, absent key = one
// register) whose written values are unique per key; the initial value is nil (null).
//
// Definitions. For a value v of a key:
//   K(v)  the earliest instant by which v is *known* to have been installed: the completion
//         of its ok write or ok cas, or of the first ok read or ok cas that returned/compared
//         v, whichever is earliest. The initial nil has K = -infinity. A write whose outcome
//         is unknown (info, or never completed) counts only once something observed its value;
//         a failed write never counts.
//   w' is definitely newer than v when w' was invoked after K(v): in every linearization it
//         follows the write of v. (Concurrent writes are never "newer": no false positives.)
// For an ok read r invoked at t returning v:
//   staleness_ns(r) = max(0, t - min{ K(v') : v' definitely newer than v })
//                     how long before r began its value had been overwritten for certain;
//   versions(r)     = |{ v' definitely newer than v : K(v') < t }|
//                     how many newer installed values it missed.
// Both are 0 for every read of a linearizable history, and > 0 only for reads no
// linearization can explain: they are lower bounds on the true staleness, exact when writes do
// not overlap. The history is Δ-atomic for Δ >= max staleness_ns and k-atomic (each read
// returns one of the k latest values; k = 1 is atomic) for k >= max versions + 1.
//
// A read returning a value that no write could have produced before the read completed
// (never written, only by a failed write, or by a write invoked after the read completed) is
// *unexplained*: counted apart, not in the distributions. Final reads (is_final_op) are left
// out: they measure convergence (checker/convergence/).
//
// Time is op.time (ns since the test started). When some client operation has no time
// (Porcupine logs), history positions stand in for it and `clock` says "positions".

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/history/history.h"
#include "checker/perf/distribution.h"
#include "checker/perf/fault_windows.h"

namespace faultline {

struct ReadStaleness {
  std::int64_t index = 0;      // Operation::index of the read's invocation
  std::string key;             // the key as JSON text ("null" when absent)
  std::string node;            // op.node, "" when not recorded
  std::int64_t staleness = 0;  // ns (or positions)
  std::int64_t versions = 0;
  int window = -1;  // fault window covering the invocation, or -1
};

struct UnexplainedRead {
  std::int64_t index = 0;
  std::string key, value, why;
};

// Staleness in ms (or positions) and in versions for one group of reads.
struct StalenessGroup {
  Distribution time, versions;
  std::size_t stale_reads = 0;  // reads with staleness or versions > 0
  boost::json::object to_json() const;
};

struct StalenessResult {
  std::string clock = "ns";          // "ns" or "positions"
  std::vector<ReadStaleness> reads;  // every explained ok read, in history order
  std::vector<UnexplainedRead> unexplained;
  std::vector<FaultWindow> windows;
  StalenessGroup all, in_faults, outside_faults;
  std::map<std::string, StalenessGroup> by_node;
  std::vector<StalenessGroup> by_window;  // parallel to `windows`
  std::int64_t delta = 0;  // smallest Δ (ns or positions) for which the history is Δ-atomic
  std::int64_t k = 1;      // smallest k for which it is k-atomic

  std::size_t stale_reads() const { return all.stale_reads; }
  // {"checker": "staleness", "clock", "reads", "stale_reads", "delta_ms", "k", "time_ms"/...}
  boost::json::object to_json() const;
  std::string summary() const;
};

// Throws InputError (file:line) when a value is written twice on one key, or a write/cas
// value has the wrong shape.
StalenessResult check_staleness(const History& history);

}  // namespace faultline
