#pragma once
// The series behind the compare page's plots, for one run (one mode): what each plot draws,
// computed from the run's history by the checkers (staleness, availability, convergence,
// fault windows). Times are ms since the test started. The shape is documented in
// docs/tradeoffs.md ("compare.json"):
//
//   {"duration_ms", "last_heal_ms" | null,
//    "faults": [{"kind", "start_ms", "end_ms", "open"}],
//    "staleness": {"reads", "stale_reads", "stale_in_faults", "stale_fault_kinds": [kind],
//                  "max_ms", "max_versions",
//                  "ms_cdf": [[ms, fraction of reads with staleness <= ms]],
//                  "versions_cdf": [[versions, fraction]],
//                  "points": {"t_ms": [], "ms": [], "versions": []}, "points_total"} | null,
//    "staleness_note": why staleness is null,
//    "latency": {"count", "p50", "p99",
//                "by_f": {f: {"count", "p50", "p99", "cdf": [[ms, fraction]]}},
//                "bin_ms", "t0_ms", "p50_over_time": [ms | null], "p99_over_time": [...]},
//    "availability": {"bin_ms", "t0_ms", "slots": [n], "served": [n], "in_faults": [bool],
//                     "in_faults_total": fraction | null, "outside_faults_total": ...},
//    "convergence": {"keys", "converged", "not_converged", "timeout_s", "ms": [sorted]} | null,
//    "convergence_note": why convergence is null}
//
// CDFs are step points at the sample's distinct values, thinned to a few hundred points
// (every 1/400 of the fraction and every 2% step in value kept, so tails survive).

#include <boost/json.hpp>
#include <cstddef>
#include <vector>

#include "checker/history/history.h"

namespace faultline {

struct CompareSeriesOptions {
  double convergence_timeout_s = 30;
  double bin_ms = 1000;                  // latency and availability over time
  std::size_t max_stale_points = 20000;  // staleness-over-time points kept (evenly thinned)
};

// Throws InputError for a history whose operations do not pair.
boost::json::object compare_series(const History& history,
                                   const CompareSeriesOptions& options = {});

// [[value, fraction <= value]] of `sample` (sorted in place), thinned as described above.
boost::json::array cdf_points(std::vector<double>& sample);

}  // namespace faultline
