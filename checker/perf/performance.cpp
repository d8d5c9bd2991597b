#include "checker/perf/performance.h"

#include <algorithm>
#include <map>
#include <vector>

#include "checker/history/pairing.h"
#include "checker/perf/distribution.h"

namespace faultline {
namespace {

struct OpTally {
  std::uint64_t count = 0, ok = 0, fail = 0, info = 0;
  std::vector<double> latencies_ms;  // ok operations
};

// p90 rather than Distribution's p95: results.json has always carried these four.
boost::json::object latency_json(std::vector<double>& v) {
  std::sort(v.begin(), v.end());
  return {{"p50", round3(quantile(v, 0.5))},
          {"p90", round3(quantile(v, 0.9))},
          {"p99", round3(quantile(v, 0.99))},
          {"max", round3(v.empty() ? 0 : v.back())}};
}

}  // namespace

boost::json::object performance_summary(const History& history) {
  PairedHistory paired = pair_operations(history);
  std::map<std::string, OpTally> by_f;
  OpTally all;
  std::int64_t first = -1, last = -1;
  for (const PairedOp& pair : paired.ops) {
    const Operation& invoke = history.ops[pair.invoke];
    OpTally& t = by_f[invoke.f];
    ++t.count;
    ++all.count;
    if (invoke.time >= 0 && (first < 0 || invoke.time < first)) first = invoke.time;
    if (!pair.completion) {
      ++t.info;
      ++all.info;
      continue;
    }
    const Operation& done = history.ops[*pair.completion];
    last = std::max(last, done.time);
    switch (pair.outcome) {
      case OpType::kOk: {
        ++t.ok;
        ++all.ok;
        if (invoke.time >= 0 && done.time >= invoke.time) {
          double ms = static_cast<double>(done.time - invoke.time) / 1e6;
          t.latencies_ms.push_back(ms);
          all.latencies_ms.push_back(ms);
        }
        break;
      }
      case OpType::kFail:
        ++t.fail;
        ++all.fail;
        break;
      default:
        ++t.info;
        ++all.info;
        break;
    }
  }
  double duration_s = first >= 0 && last > first ? static_cast<double>(last - first) / 1e9 : 0;
  auto per_s = [&](double n) { return duration_s > 0 ? n / duration_s : 0.0; };
  boost::json::object out;
  out["duration_s"] = duration_s;
  out["operations"] = all.count;
  out["throughput_ops_s"] = per_s(static_cast<double>(all.ok + all.fail + all.info));
  out["ok_ops_s"] = per_s(static_cast<double>(all.ok));
  out["latency_ms"] = latency_json(all.latencies_ms);
  boost::json::object fs;
  for (auto& [f, t] : by_f) {
    fs[f] = {{"count", t.count},
             {"ok", t.ok},
             {"fail", t.fail},
             {"info", t.info},
             {"latency_ms", latency_json(t.latencies_ms)}};
  }
  out["by_f"] = std::move(fs);
  return out;
}

}  // namespace faultline
