#pragma once
// The numbers a report states about its operations: counts by f and outcome,
// throughput, latency quantiles, and both over time (for the plots' lines).

#include <boost/json/object.hpp>

#include "reports/op_table.h"

namespace faultline {

// {"counts": [{f, ok, fail, info}], "latency": [{f, outcome, count, p50, p90, p95, p99,
//   max}], "overall": {...}, "duration", "throughput": ops/s (unit "us" only),
//   "series": {"bins", "t0", "width", "ok"/"fail"/"info": [count per bin],
//              "p50"/"p95"/"p99": [latency of ops invoked in the bin, null if none]}}
// Quantiles use the nearest rank; latencies of operations that never completed are
// left out of every quantile.
boost::json::object summarize_ops(const OpTable& table, std::size_t bins = 120);

}  // namespace faultline
