#include "checker/perf/availability.h"

#include <vector>

#include "checker/history/pairing.h"
#include "checker/perf/fault_windows.h"

namespace faultline {
namespace {

struct Tally {
  SideStats stats;
  std::vector<double> latencies;
  std::map<std::string, std::vector<double>> by_f;

  void add(const std::string& f, OpType outcome, bool compare_failed, double latency_ms) {
    ++stats.operations;
    ++stats.count_by_f[f];
    if (compare_failed) {
      ++stats.compare_failed;
      ++stats.ok_by_f[f];
    }
    switch (outcome) {
      case OpType::kOk:
        ++stats.ok;
        ++stats.ok_by_f[f];
        if (latency_ms >= 0) {
          latencies.push_back(latency_ms);
          by_f[f].push_back(latency_ms);
        }
        break;
      case OpType::kFail:
        ++stats.fail;
        break;
      default:
        ++stats.info;
        break;
    }
  }
  SideStats finish() {
    stats.latency_ms = distribution_of(latencies);
    for (auto& [f, sample] : by_f) stats.by_f_ms[f] = distribution_of(sample);
    return stats;
  }
};

boost::json::object side_json(const SideStats& s) {
  boost::json::object by_f;
  for (const auto& [f, count] : s.count_by_f) {
    auto ok = s.ok_by_f.count(f) ? s.ok_by_f.at(f) : 0;
    auto latency = s.by_f_ms.count(f) ? s.by_f_ms.at(f) : Distribution{};
    by_f[f] = {{"count", count},
               {"answered", ok},
               {"availability",
                round3(count ? static_cast<double>(ok) / static_cast<double>(count) : 1.0)},
               {"latency_ms", latency.to_json()}};
  }
  return {{"operations", s.operations},
          {"ok", s.ok},
          {"fail", s.fail},
          {"compare_failed", s.compare_failed},
          {"info", s.info},
          {"availability", round3(s.availability())},
          {"latency_ms", s.latency_ms.to_json()},
          {"by_f", std::move(by_f)}};
}

}  // namespace

double SideStats::availability() const {
  return operations ? static_cast<double>(ok + compare_failed) / static_cast<double>(operations)
                    : 1.0;
}

AvailabilityResult check_availability(const History& history) {
  std::vector<FaultWindow> windows = fault_windows(history);
  PairedHistory paired = pair_operations(history);
  Tally in, out, all;
  for (const PairedOp& pair : paired.ops) {
    const Operation& invoke = history.ops[pair.invoke];
    if (is_final_op(invoke)) continue;
    double latency = -1;
    bool compare_failed = false;
    if (pair.completion) {
      const Operation& done = history.ops[*pair.completion];
      compare_failed = pair.outcome == OpType::kFail && done.error && done.error->is_string() &&
                       done.error->get_string() == "compare failed";
      if (invoke.time != kNoTime && done.time != kNoTime && done.time >= invoke.time) {
        latency = static_cast<double>(done.time - invoke.time) / 1e6;
      }
    }
    bool faulted = invoke.time != kNoTime && window_at(windows, invoke.time) >= 0;
    (faulted ? in : out).add(invoke.f, pair.outcome, compare_failed, latency);
    all.add(invoke.f, pair.outcome, compare_failed, latency);
  }
  AvailabilityResult result;
  result.in_faults = in.finish();
  result.outside_faults = out.finish();
  result.all = all.finish();
  result.fault_windows = windows.size();
  return result;
}

boost::json::object AvailabilityResult::to_json() const {
  return {{"fault_windows", fault_windows},
          {"in_faults", side_json(in_faults)},
          {"outside_faults", side_json(outside_faults)},
          {"all", side_json(all)}};
}

}  // namespace faultline
