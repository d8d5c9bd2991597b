#pragma once
// The trade-off summary of one run: what its consistency mode delivered (verdict, anomalies,
// staleness, convergence) and what it cost (availability under faults, latency). One object
// per run, the same in results.json ("tradeoff") and in `faultline compare --json`:
//
//   {"schema": "faultline.tradeoff/2",          /2: availability_* became time-weighted
//    "mode": "read-consistency=serializable",   as given; "" for a plain run
//    "valid": true | false | "unknown",        the workload checker's verdict
//    "anomalies": {kind: count},               only kinds that occurred
//    "staleness_ms": {"p50","p99","max"} | null,        register histories only
//    "staleness_versions": {"p50","p99","max"} | null,
//    "delta_ms": n | null, "k": n | null,      smallest Δ / k (checker/staleness/staleness.h)
//    "convergence_ms": n | null,               null without final reads
//    "converged": true | false | "unknown",
//    "availability_in_faults": fraction | null,       time-weighted (checker/perf/availability.h):
//    "availability_outside_faults": fraction | null,  share of client time that got answers;
//                                                     null when no client wanted service there
//    "availability_by_f_in_faults": {f: fraction | null},   the same per op type ("read":
//    "availability_by_f_outside_faults": {f: ...},          how often a client that wanted to
//                                                            read got an answer)
//    "ok_fraction_in_faults": fraction | null,        share of operations answered, by where
//    "ok_fraction_outside_faults": fraction | null,   their invocation fell; null: none there
//    "ok_per_s_in_faults": n | null,                  ok completions per second on each side
//    "ok_per_s_outside_faults": n | null,
//    "latency_ms": {"p50","p99"}}              ok operations, final reads excluded

#include <boost/json.hpp>
#include <string>

#include "checker/history/history.h"

namespace faultline {

inline constexpr const char* kTradeoffSchema = "faultline.tradeoff/2";

struct TradeoffOptions {
  std::string mode;  // e.g. "read-from=replica"
  double convergence_timeout_s = 30;
};

// `results` is the workload checker's document as in results.json (its "verdict" and anomaly
// counts are read: linearizability's partition_counts, the set checker's lost/unexpected/
// stale). Never throws for a history the staleness checker cannot read (non-unique values):
// staleness is then null and "staleness_error" says why.
boost::json::object tradeoff_summary(const History& history, const boost::json::object& results,
                                     const TradeoffOptions& options = {});

}  // namespace faultline
