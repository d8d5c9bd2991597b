#pragma once
// Throughput and latency of a run's client operations, computed from its history (so a
// stored run gives the same figures as the live one).
//
//   {"duration_s", "operations", "throughput_ops_s" (completed ops per second),
//    "ok_ops_s", "latency_ms": {"p50","p90","p99","max"} (ok operations),
//    "by_f": {"read": {"count","ok","fail","info","latency_ms": {...}}, ...}}

#include <boost/json.hpp>

#include "checker/history/history.h"

namespace faultline {

boost::json::object performance_summary(const History& history);

}  // namespace faultline
