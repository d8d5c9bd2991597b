#include "checker/perf/over_time.h"

#include <algorithm>
#include <stdexcept>

#include "checker/perf/distribution.h"
#include "checker/perf/fault_windows.h"

namespace faultline {

OverTime performance_over_time(const History& history, const PairedHistory& paired, double bin_ms) {
  if (!(bin_ms > 0)) throw std::invalid_argument("performance_over_time: bin_ms must be > 0");
  OverTime out;
  out.bin_ms = bin_ms;
  const double bin_ns = bin_ms * 1e6;
  std::vector<std::vector<double>> ok_latency;
  for (const PairedOp& pair : paired.ops) {
    const Operation& invoke = history.ops[pair.invoke];
    if (invoke.time == kNoTime || is_final_op(invoke)) continue;
    auto b =
        static_cast<std::size_t>(std::max<double>(0, static_cast<double>(invoke.time)) / bin_ns);
    if (out.bins.size() <= b) {
      out.bins.resize(b + 1);
      ok_latency.resize(b + 1);
    }
    OverTimeBin& bin = out.bins[b];
    if (!pair.completion) {
      ++bin.open;
      continue;
    }
    if (pair.outcome == OpType::kFail) {
      ++bin.fail;
    } else if (pair.outcome == OpType::kInfo) {
      ++bin.info;
    } else {
      ++bin.ok;
      const Operation& done = history.ops[*pair.completion];
      if (done.time != kNoTime && done.time >= invoke.time)
        ok_latency[b].push_back(static_cast<double>(done.time - invoke.time) / 1e6);
    }
  }
  for (std::size_t b = 0; b < out.bins.size(); ++b) {
    if (ok_latency[b].empty()) continue;
    Distribution d = distribution_of(ok_latency[b]);
    out.bins[b].p50_ms = d.p50;
    out.bins[b].p99_ms = d.p99;
  }
  return out;
}

boost::json::object OverTime::to_json() const {
  boost::json::array ok, fail, info, open, p50, p99;
  auto ms = [](const std::optional<double>& v) {
    return v ? boost::json::value(round3(*v)) : boost::json::value(nullptr);
  };
  for (const OverTimeBin& b : bins) {
    ok.emplace_back(b.ok);
    fail.emplace_back(b.fail);
    info.emplace_back(b.info);
    open.emplace_back(b.open);
    p50.push_back(ms(b.p50_ms));
    p99.push_back(ms(b.p99_ms));
  }
  return {{"bin_ms", bin_ms},         {"t0_ms", 0},
          {"ok", std::move(ok)},      {"fail", std::move(fail)},
          {"info", std::move(info)},  {"open", std::move(open)},
          {"p50_ms", std::move(p50)}, {"p99_ms", std::move(p99)}};
}

}  // namespace faultline
