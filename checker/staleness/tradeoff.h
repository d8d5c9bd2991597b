#pragma once
// The trade-off summary of one run: what its consistency mode delivered (verdict, anomalies,
// staleness, convergence) and what it cost (availability under faults, latency). One object
// per run, the same in results.json ("tradeoff") and in `faultline compare --json`:
//
//   {"mode": "read-consistency=serializable",   as given; "" for a plain run
//    "valid": true | false | "unknown",        the workload checker's verdict
//    "anomalies": {kind: count},               only kinds that occurred
//    "staleness_ms": {"p50","p99","max"} | null,        register histories only
//    "staleness_versions": {"p50","p99","max"} | null,
//    "delta_ms": n | null, "k": n | null,      smallest Δ / k (checker/staleness/staleness.h)
//    "convergence_ms": n | null,               null without final reads
//    "converged": true | false | "unknown",
//    "availability_in_faults": fraction | null,       null when no fault window held an op
//    "availability_outside_faults": fraction | null,
//    "latency_ms": {"p50","p99"}}              ok operations, final reads excluded

#include <boost/json.hpp>
#include <string>

#include "checker/history/history.h"

namespace faultline {

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
