#include "checker/staleness/tradeoff.h"

#include <algorithm>

#include "checker/convergence/convergence.h"
#include "checker/history/input_error.h"
#include "checker/perf/availability.h"
#include "checker/staleness/staleness.h"

namespace faultline {
namespace {

boost::json::value verdict_value(const boost::json::object& results) {
  const auto* v = results.if_contains("verdict");
  if (v && v->is_string()) {
    if (v->get_string() == "valid") return true;
    if (v->get_string() == "invalid") return false;
  }
  return "unknown";
}

// Kinds of anomaly the workload checker counted: linearizability's invalid keys, and every
// member shaped {"count": n} with n > 0 (set: lost/unexpected/stale; bank: wrong_total...),
// and the transactional checker's anomaly_counts.
boost::json::object checker_anomalies(const boost::json::object& results) {
  boost::json::object out;
  if (const auto* pc = results.if_contains("partition_counts"); pc && pc->is_object()) {
    if (const auto* invalid = pc->get_object().if_contains("invalid");
        invalid && invalid->is_number() && invalid->to_number<double>() > 0) {
      out["non-linearizable keys"] = *invalid;
    }
  }
  for (const auto& [name, value] : results) {
    const auto* o = value.if_object();
    if (!o) continue;
    const auto* count = o->if_contains("count");
    if (count && count->is_number() && count->to_number<double>() > 0) out[name] = *count;
  }
  // The transactional checker's anomalies by type (G2-item, G-single...).
  if (const auto* ac = results.if_contains("anomaly_counts"); ac && ac->is_object()) {
    for (const auto& [name, count] : ac->get_object()) out[name] = count;
  }
  return out;
}

boost::json::object p50_p99_max(const Distribution& d) {
  return {{"p50", round3(d.p50)}, {"p99", round3(d.p99)}, {"max", round3(d.max)}};
}

bool has_register_writes(const History& history) {
  return std::any_of(history.ops.begin(), history.ops.end(), [](const Operation& op) {
    return !op.is_nemesis() && (op.f == "write" || op.f == "cas");
  });
}

}  // namespace

boost::json::object tradeoff_summary(const History& history, const boost::json::object& results,
                                     const TradeoffOptions& options) {
  boost::json::object out;
  out["schema"] = kTradeoffSchema;
  out["mode"] = options.mode;
  out["valid"] = verdict_value(results);
  boost::json::object anomalies = checker_anomalies(results);

  out["staleness_ms"] = nullptr;
  out["staleness_versions"] = nullptr;
  out["delta_ms"] = nullptr;
  out["k"] = nullptr;
  if (has_register_writes(history)) {
    try {
      StalenessResult s = check_staleness(history);
      if (s.clock == "ns") {
        out["staleness_ms"] = p50_p99_max(s.all.time);
        out["delta_ms"] = round3(static_cast<double>(s.delta) / 1e6);
      }
      out["staleness_versions"] = p50_p99_max(s.all.versions);
      out["k"] = s.k;
      out["stale_reads"] = s.all.stale_reads;
      out["reads"] = s.reads.size();
      if (s.all.stale_reads) anomalies["stale reads"] = s.all.stale_reads;
      if (!s.unexplained.empty()) anomalies["unexplained reads"] = s.unexplained.size();
    } catch (const InputError& e) {
      out["staleness_error"] = e.what();
    }
  }

  ConvergenceOptions copts;
  copts.timeout_s = options.convergence_timeout_s;
  ConvergenceResult c = check_convergence(history, copts);
  out["convergence_ms"] = c.max_convergence_ms ? boost::json::value(round3(*c.max_convergence_ms))
                                               : boost::json::value(nullptr);
  out["converged"] = c.verdict == Verdict::kUnknown
                         ? boost::json::value("unknown")
                         : boost::json::value(c.verdict == Verdict::kValid);
  if (c.diverged) anomalies["diverged keys"] = c.diverged;
  if (c.timed_out) anomalies["keys converged too late"] = c.timed_out;
  if (c.lost) anomalies["writes lost at convergence"] = c.lost;
  if (c.unexpected) anomalies["values no write produced"] = c.unexpected;
  out["anomalies"] = std::move(anomalies);

  AvailabilityResult a = check_availability(history);
  auto fraction = [](const SideStats& s) {
    return s.operations ? boost::json::value(round3(s.availability()))
                        : boost::json::value(nullptr);
  };
  auto served = [](const TimeSide& t) {
    return t.slots ? boost::json::value(round3(t.availability())) : boost::json::value(nullptr);
  };
  auto rate = [](const TimeSide& t) {
    return t.bins ? boost::json::value(round3(t.ok_per_s())) : boost::json::value(nullptr);
  };
  auto served_by_f = [&](const TimeSide& t) {
    boost::json::object by_f;
    for (const auto& [f, side] : t.by_f) by_f[f] = served(side);
    return by_f;
  };
  out["availability_in_faults"] = served(a.time_in_faults);
  out["availability_outside_faults"] = served(a.time_outside_faults);
  out["availability_by_f_in_faults"] = served_by_f(a.time_in_faults);
  out["availability_by_f_outside_faults"] = served_by_f(a.time_outside_faults);
  out["ok_fraction_in_faults"] = fraction(a.in_faults);
  out["ok_fraction_outside_faults"] = fraction(a.outside_faults);
  out["ok_per_s_in_faults"] = rate(a.time_in_faults);
  out["ok_per_s_outside_faults"] = rate(a.time_outside_faults);
  out["latency_ms"] = {{"p50", round3(a.all.latency_ms.p50)},
                       {"p99", round3(a.all.latency_ms.p99)}};
  out["operations"] = a.all.operations;
  return out;
}

}  // namespace faultline
