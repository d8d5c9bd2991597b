#include "reports/compare_series.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "checker/convergence/convergence.h"
#include "checker/history/pairing.h"
#include "checker/perf/availability.h"
#include "checker/perf/distribution.h"
#include "checker/perf/fault_windows.h"
#include "checker/perf/over_time.h"
#include "checker/staleness/staleness.h"

namespace faultline {
namespace {

constexpr double kNsPerMs = 1e6;
constexpr double kCdfSteps = 400;       // a point at least every 1/400 of the fraction
constexpr double kCdfValueStep = 1.02;  // and at every 2% step in value

double ms_of(std::int64_t ns) {
  return round3(static_cast<double>(ns) / kNsPerMs);
}

// Times of the history's operations by Operation::index (kNoTime where unknown).
std::vector<std::int64_t> times_by_index(const History& history) {
  std::int64_t last = -1;
  for (const Operation& op : history.ops) last = std::max(last, op.index);
  std::vector<std::int64_t> out(static_cast<std::size_t>(last + 1), kNoTime);
  for (const Operation& op : history.ops)
    if (op.index >= 0) out[static_cast<std::size_t>(op.index)] = op.time;
  return out;
}

void add_staleness(const History& history, const CompareSeriesOptions& options,
                   boost::json::object& out) {
  out["staleness"] = nullptr;
  bool writes = std::any_of(history.ops.begin(), history.ops.end(), [](const Operation& op) {
    return !op.is_nemesis() && (op.f == "write" || op.f == "cas");
  });
  if (!writes) {
    out["staleness_note"] = "measured on register histories only; this one has no write or cas";
    return;
  }
  StalenessResult s;
  try {
    s = check_staleness(history);
  } catch (const InputError& e) {
    out["staleness_note"] = e.what();
    return;
  }
  if (s.clock != "ns") {
    out["staleness_note"] = "the history has no times";
    return;
  }
  std::vector<double> staleness_ms, versions;
  std::vector<const ReadStaleness*> stale;
  std::set<std::string> kinds;
  for (const ReadStaleness& r : s.reads) {
    staleness_ms.push_back(static_cast<double>(r.staleness) / kNsPerMs);
    versions.push_back(static_cast<double>(r.versions));
    if (r.staleness == 0 && r.versions == 0) continue;
    stale.push_back(&r);
    if (r.window >= 0) kinds.insert(s.windows[static_cast<std::size_t>(r.window)].kind);
  }
  const std::vector<std::int64_t> times = times_by_index(history);
  const std::size_t cap = std::max<std::size_t>(1, options.max_stale_points);
  const std::size_t stride = (stale.size() + cap - 1) / cap;
  boost::json::array t_ms, point_ms, point_versions;
  for (std::size_t i = 0; i < stale.size(); i += std::max<std::size_t>(1, stride)) {
    const ReadStaleness& r = *stale[i];
    std::int64_t t = r.index >= 0 && static_cast<std::size_t>(r.index) < times.size()
                         ? times[static_cast<std::size_t>(r.index)]
                         : kNoTime;
    if (t == kNoTime) continue;
    t_ms.emplace_back(ms_of(t));
    point_ms.emplace_back(ms_of(r.staleness));
    point_versions.emplace_back(r.versions);
  }
  boost::json::array kind_list;
  for (const auto& k : kinds) kind_list.emplace_back(k);
  boost::json::object st{{"reads", s.reads.size()},
                         {"stale_reads", s.all.stale_reads},
                         {"stale_in_faults", s.in_faults.stale_reads},
                         {"stale_fault_kinds", std::move(kind_list)},
                         {"max_ms", round3(s.all.time.max)},
                         {"max_versions", s.all.versions.max},
                         {"ms_cdf", cdf_points(staleness_ms)},
                         {"versions_cdf", cdf_points(versions)},
                         {"points_total", stale.size()}};
  st["points"] = {{"t_ms", std::move(t_ms)},
                  {"ms", std::move(point_ms)},
                  {"versions", std::move(point_versions)}};
  out["staleness"] = std::move(st);
}

// Latency of ok client operations (final ones excluded, as in checker/perf/availability.h):
// per f with its CDF, and p50/p99 of the operations invoked in each bin (over_time.h).
void add_latency(const History& history, const PairedHistory& paired,
                 const CompareSeriesOptions& options, boost::json::object& out) {
  std::map<std::string, std::vector<double>> by_f;
  std::vector<double> all;
  for (const PairedOp& pair : paired.ops) {
    const Operation& invoke = history.ops[pair.invoke];
    if (pair.outcome != OpType::kOk || !pair.completion || is_final_op(invoke)) continue;
    const Operation& done = history.ops[*pair.completion];
    if (invoke.time == kNoTime || done.time == kNoTime || done.time < invoke.time) continue;
    double latency = static_cast<double>(done.time - invoke.time) / kNsPerMs;
    by_f[invoke.f].push_back(latency);
    all.push_back(latency);
  }
  Distribution overall = distribution_of(all);
  boost::json::object latency{{"count", overall.count},
                              {"p50", round3(overall.p50)},
                              {"p99", round3(overall.p99)},
                              {"bin_ms", options.bin_ms},
                              {"t0_ms", 0}};
  boost::json::object f_out;
  for (auto& [f, sample] : by_f) {
    Distribution d = distribution_of(sample);
    f_out[f] = {{"count", d.count},
                {"p50", round3(d.p50)},
                {"p99", round3(d.p99)},
                {"cdf", cdf_points(sample)}};
  }
  latency["by_f"] = std::move(f_out);
  boost::json::object over_time = performance_over_time(history, paired, options.bin_ms).to_json();
  latency["p50_over_time"] = std::move(over_time["p50_ms"]);
  latency["p99_over_time"] = std::move(over_time["p99_ms"]);
  out["latency"] = std::move(latency);
}

void add_availability(const History& history, const CompareSeriesOptions& options,
                      boost::json::object& out) {
  AvailabilityOptions aopts;
  aopts.bin_ms = options.bin_ms;
  AvailabilityResult a = check_availability(history, aopts);
  boost::json::array slots, served, in_faults;
  for (const TimeBin& b : a.time_bins) {
    slots.emplace_back(b.slots);
    served.emplace_back(b.served);
    in_faults.emplace_back(b.in_faults);
  }
  auto total = [](const TimeSide& t) {
    return t.slots ? boost::json::value(round3(t.availability())) : boost::json::value(nullptr);
  };
  out["availability"] = {{"bin_ms", options.bin_ms},
                         {"t0_ms", ms_of(a.time_begin)},
                         {"slots", std::move(slots)},
                         {"served", std::move(served)},
                         {"in_faults", std::move(in_faults)},
                         {"in_faults_total", total(a.time_in_faults)},
                         {"outside_faults_total", total(a.time_outside_faults)}};
}

void add_convergence(const History& history, const CompareSeriesOptions& options,
                     boost::json::object& out) {
  out["convergence"] = nullptr;
  ConvergenceOptions copts;
  copts.timeout_s = options.convergence_timeout_s;
  ConvergenceResult c;
  try {
    c = check_convergence(history, copts);
  } catch (const InputError& e) {
    out["convergence_note"] = e.what();
    return;
  }
  if (c.final_reads == 0) {
    out["convergence_note"] = "no final reads after the last heal";
    return;
  }
  std::vector<double> times;
  std::size_t converged = 0;
  for (const KeyConvergence& k : c.keys) {
    if (!k.converged) continue;
    ++converged;
    if (k.convergence_ms) times.push_back(round3(*k.convergence_ms));
  }
  std::sort(times.begin(), times.end());
  out["convergence"] = {{"keys", c.keys.size()},
                        {"converged", converged},
                        {"not_converged", c.keys.size() - converged},
                        {"timed_out", c.timed_out},
                        {"timeout_s", c.timeout_s},
                        {"ms", boost::json::array(times.begin(), times.end())}};
}

}  // namespace

boost::json::array cdf_points(std::vector<double>& sample) {
  boost::json::array out;
  if (sample.empty()) return out;
  std::sort(sample.begin(), sample.end());
  const double n = static_cast<double>(sample.size());
  double kept_fraction = -1, kept_value = 0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    if (i + 1 < sample.size() && sample[i + 1] == sample[i]) continue;  // last of equal values
    const double v = sample[i], fraction = static_cast<double>(i + 1) / n;
    const bool last = i + 1 == sample.size();
    const bool first = kept_fraction < 0;
    if (first || last || fraction - kept_fraction >= 1 / kCdfSteps ||
        (kept_value > 0 ? v >= kept_value * kCdfValueStep : v > 0)) {
      out.push_back(boost::json::array{round3(v), std::round(fraction * 1e6) / 1e6});
      kept_fraction = fraction;
      kept_value = v;
    }
  }
  return out;
}

boost::json::object compare_series(const History& history, const CompareSeriesOptions& options) {
  boost::json::object out;
  std::int64_t end = 0;
  for (const Operation& op : history.ops)
    if (op.time != kNoTime) end = std::max(end, op.time);
  out["duration_ms"] = ms_of(end);
  std::int64_t heal = last_heal_time(history);
  out["last_heal_ms"] = heal >= 0 ? boost::json::value(ms_of(heal)) : boost::json::value(nullptr);
  out["faults"] = fault_windows_json(fault_windows(history));
  PairedHistory paired = pair_operations(history);
  add_staleness(history, options, out);
  add_latency(history, paired, options, out);
  add_availability(history, options, out);
  add_convergence(history, options, out);
  return out;
}

}  // namespace faultline
