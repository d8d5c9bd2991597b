#pragma once
// Performance over time: a history's client operations cut into bins of `bin_ms` on the
// history's time axis (ns since the test started; bin b covers [b·bin_ms, (b+1)·bin_ms)),
// each operation in the bin of its invocation. Per bin: how many ended ok, fail or info, how
// many have no completion (still in flight in a history being written; unknown in a complete
// one, where pairing.h counts them as info), and p50/p99 of the latency of its ok operations
// (nearest rank, distribution.h). The final operations a run makes after healing (is_final_op)
// are left out, as in availability.h. The compare page's latency-over-time plot and the live
// view of a run in progress (reports/live_run.h) draw from it.

#include <boost/json.hpp>
#include <cstddef>
#include <optional>
#include <vector>

#include "checker/history/history.h"
#include "checker/history/pairing.h"

namespace faultline {

struct OverTimeBin {
  std::size_t ok = 0, fail = 0, info = 0;  // invoked in the bin, completed so
  std::size_t open = 0;                    // invoked in the bin, no completion in the history
  std::optional<double> p50_ms, p99_ms;    // latency of the bin's ok operations; none: no ok
};

struct OverTime {
  double bin_ms = 1000;
  std::vector<OverTimeBin> bins;  // up to the last invocation's bin

  // {"bin_ms", "t0_ms": 0, "ok": [n], "fail": [n], "info": [n], "open": [n],
  //  "p50_ms": [ms | null], "p99_ms": [ms | null]}, one entry a bin, ms rounded to 3 decimals.
  boost::json::object to_json() const;
};

// Operations without a time are left out. `bin_ms` must be > 0.
OverTime performance_over_time(const History& history, const PairedHistory& paired,
                               double bin_ms = 1000);

}  // namespace faultline
