#include "checker/perf/availability.h"

#include <algorithm>
#include <cmath>
#include <map>
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

boost::json::object time_side_json(const TimeSide& t) {
  boost::json::object out{{"slots", t.slots},
                          {"served", t.served},
                          {"bins", t.bins},
                          {"availability", round3(t.availability())},
                          {"ok_per_s", round3(t.ok_per_s())}};
  if (!t.by_f.empty()) {
    boost::json::object by_f;
    for (const auto& [f, side] : t.by_f) by_f[f] = time_side_json(side);
    out["by_f"] = std::move(by_f);
  }
  return out;
}

// One operation of a lane, for the time-weighted measure: in flight over [start, end] (end =
// the history's end when it never completed), answered at `end` or not.
struct Attempt {
  std::string f;
  std::int64_t start = 0, end = -1;  // end < 0: never completed
  bool answered = false;
};

// Slots of one (lane, f) in every bin: wanted (an attempt in flight), served (one answered).
void tally_slots(const std::vector<const Attempt*>& attempts, std::int64_t begin, double bin_ns,
                 std::int64_t history_end, const std::vector<bool>& faulted, TimeSide& in,
                 TimeSide& out, bool count_ok, std::vector<TimeBin>* per_bin = nullptr) {
  const std::size_t bins = faulted.size();
  auto bin_of = [&](std::int64_t t) {
    if (t <= begin) return std::size_t{0};
    return std::min(bins - 1, static_cast<std::size_t>(static_cast<double>(t - begin) / bin_ns));
  };
  std::vector<bool> wanted(bins), served(bins);
  for (const Attempt* a : attempts) {
    const std::int64_t end = a->end < 0 ? history_end : a->end;
    for (std::size_t b = bin_of(a->start); b <= bin_of(end); ++b) wanted[b] = true;
    if (a->answered) {
      served[bin_of(a->end)] = true;
      if (count_ok) ++(faulted[bin_of(a->end)] ? in : out).ok;
    }
  }
  for (std::size_t b = 0; b < bins; ++b) {
    if (!wanted[b]) continue;
    TimeSide& side = faulted[b] ? in : out;
    ++side.slots;
    if (served[b]) ++side.served;
    if (per_bin) {
      ++(*per_bin)[b].slots;
      if (served[b]) ++(*per_bin)[b].served;
    }
  }
}

void measure_time(const std::map<std::string, std::vector<Attempt>>& lanes,
                  const std::vector<FaultWindow>& windows, double bin_ms, AvailabilityResult& r) {
  r.time_in_faults.bin_ms = r.time_outside_faults.bin_ms = bin_ms;
  std::int64_t begin = INT64_MAX, end = INT64_MIN;
  for (const auto& [name, attempts] : lanes) {
    for (const Attempt& a : attempts) {
      begin = std::min(begin, a.start);
      end = std::max(end, std::max(a.start, a.end));
    }
  }
  if (lanes.empty() || end <= begin || !(bin_ms > 0)) return;
  const double bin_ns = bin_ms * 1e6;
  const auto bins = static_cast<std::size_t>(std::ceil(static_cast<double>(end - begin) / bin_ns));
  std::vector<bool> faulted(bins);
  r.time_begin = begin;
  r.time_bins.assign(bins, TimeBin{});
  for (std::size_t b = 0; b < bins; ++b) {
    auto middle = begin + static_cast<std::int64_t>((static_cast<double>(b) + 0.5) * bin_ns);
    faulted[b] = window_at(windows, middle) >= 0;
    r.time_bins[b].in_faults = faulted[b];
    ++(faulted[b] ? r.time_in_faults : r.time_outside_faults).bins;
  }
  for (const auto& [name, attempts] : lanes) {
    std::vector<const Attempt*> all;
    std::map<std::string, std::vector<const Attempt*>> by_f;
    for (const Attempt& a : attempts) {
      all.push_back(&a);
      by_f[a.f].push_back(&a);
    }
    tally_slots(all, begin, bin_ns, end, faulted, r.time_in_faults, r.time_outside_faults, true,
                &r.time_bins);
    for (const auto& [f, list] : by_f) {
      TimeSide& in = r.time_in_faults.by_f[f];
      TimeSide& out = r.time_outside_faults.by_f[f];
      in.bin_ms = out.bin_ms = bin_ms;
      in.bins = r.time_in_faults.bins;
      out.bins = r.time_outside_faults.bins;
      tally_slots(list, begin, bin_ns, end, faulted, in, out, true);
    }
  }
}

}  // namespace

double TimeSide::availability() const {
  return slots ? static_cast<double>(served) / static_cast<double>(slots) : 1.0;
}

double TimeSide::ok_per_s() const {
  return bins ? static_cast<double>(ok) / (static_cast<double>(bins) * bin_ms / 1000.0) : 0.0;
}

double SideStats::availability() const {
  return operations ? static_cast<double>(ok + compare_failed) / static_cast<double>(operations)
                    : 1.0;
}

AvailabilityResult check_availability(const History& history, const AvailabilityOptions& options) {
  std::vector<FaultWindow> windows = fault_windows(history);
  PairedHistory paired = pair_operations(history);
  Tally in, out, all;
  std::map<std::string, std::vector<Attempt>> lanes;
  for (const PairedOp& pair : paired.ops) {
    const Operation& invoke = history.ops[pair.invoke];
    if (is_final_op(invoke)) continue;
    double latency = -1;
    bool compare_failed = false;
    Attempt* attempt = nullptr;
    if (invoke.time != kNoTime) {
      auto& lane =
          lanes[invoke.node ? "node " + *invoke.node : "process " + std::to_string(invoke.process)];
      attempt = &lane.emplace_back(Attempt{invoke.f, invoke.time, -1, false});
    }
    if (pair.completion) {
      const Operation& done = history.ops[*pair.completion];
      compare_failed = pair.outcome == OpType::kFail && done.error && done.error->is_string() &&
                       done.error->get_string() == "compare failed";
      if (invoke.time != kNoTime && done.time != kNoTime && done.time >= invoke.time) {
        latency = static_cast<double>(done.time - invoke.time) / 1e6;
        attempt->end = done.time;
        attempt->answered = pair.outcome == OpType::kOk || compare_failed;
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
  measure_time(lanes, windows, options.bin_ms, result);
  return result;
}

boost::json::object AvailabilityResult::to_json() const {
  return {{"fault_windows", fault_windows},
          {"in_faults", side_json(in_faults)},
          {"outside_faults", side_json(outside_faults)},
          {"all", side_json(all)},
          {"time",
           {{"bin_ms", time_in_faults.bin_ms},
            {"in_faults", time_side_json(time_in_faults)},
            {"outside_faults", time_side_json(time_outside_faults)}}}};
}

}  // namespace faultline
