#include "checker/counter/counter_checker.h"

#include <algorithm>
#include <sstream>

#include "checker/history/op_values.h"
#include "checker/history/pairing.h"

namespace faultline {

const char* counter_read_problem(std::int64_t value, std::int64_t lower, std::int64_t upper) {
  if (value < lower) return "lost increments";
  if (value > upper) return "more than was added";
  return nullptr;
}

CounterCheckResult check_counter(const History& history, const CounterCheckOptions& options) {
  CounterCheckResult result;
  const PairedHistory paired = pair_operations(history);
  const std::size_t n = history.ops.size();
  // Per history position: ok adds completing there, possible adds invoked there. Prefix
  // sums then give both bounds of every read in one pass.
  std::vector<std::int64_t> ok_at(n + 1, 0), possible_at(n + 1, 0);
  for (const PairedOp& p : paired.ops) {
    const Operation& invoke = history.ops[p.invoke];
    if (invoke.f != "add") continue;
    const std::int64_t delta = integer_value(invoke.value, history, invoke, "an add's value");
    if (p.outcome == OpType::kFail) {
      ++result.adds_failed;
      continue;
    }
    possible_at[p.invoke + 1] += delta;
    result.possible_total += delta;
    if (p.outcome == OpType::kOk) {
      ++result.adds_ok;
      result.acknowledged_total += delta;
      ok_at[*p.completion + 1] += delta;
    } else {
      ++result.adds_unknown;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    ok_at[i + 1] += ok_at[i];
    possible_at[i + 1] += possible_at[i];
  }
  std::optional<std::int64_t> smallest_final;
  for (const PairedOp& p : paired.ops) {
    const Operation& invoke = history.ops[p.invoke];
    if (invoke.f != "read" || p.outcome != OpType::kOk) continue;
    const Operation& done = history.ops[*p.completion];
    const std::int64_t value =
        done.value.is_null() ? 0 : integer_value(done.value, history, done, "a read's value");
    const bool final = marked_final(invoke);
    ++result.reads;
    if (final) {
      ++result.final_reads;
      result.final_values.push_back(value);
      smallest_final = std::min(smallest_final.value_or(value), value);
    }
    const std::int64_t lower = ok_at[p.invoke];             // acknowledged before the invocation
    const std::int64_t upper = possible_at[*p.completion];  // possibly applied before completion
    if (!counter_read_problem(value, lower, upper)) continue;
    (value < lower ? result.low_reads : result.high_reads)++;
    if (result.examples.size() < options.max_examples) {
      result.examples.push_back(
          CounterViolation{invoke.index, invoke.process, done.node, final, value, lower, upper});
    }
  }
  if (smallest_final && *smallest_final < result.acknowledged_total) {
    result.lost_increments = result.acknowledged_total - *smallest_final;
  }
  if (result.low_reads || result.high_reads) {
    result.verdict = Verdict::kInvalid;
  } else if (result.reads == 0) {
    result.verdict = Verdict::kUnknown;
    result.reason = "no read succeeded: nothing to compare the increments with";
  } else {
    result.verdict = Verdict::kValid;
  }
  return result;
}

boost::json::object CounterCheckResult::to_json() const {
  boost::json::object o;
  o["checker"] = "counter";
  o["verdict"] = std::string(to_string(verdict));
  if (!reason.empty()) o["reason"] = reason;
  o["adds_ok"] = adds_ok;
  o["adds_failed"] = adds_failed;
  o["adds_unknown"] = adds_unknown;
  o["acknowledged_total"] = acknowledged_total;
  o["possible_total"] = possible_total;
  o["reads"] = reads;
  o["final_reads"] = final_reads;
  boost::json::array finals;
  for (std::int64_t v : final_values) finals.push_back(v);
  o["final_values"] = std::move(finals);
  o["reads_below_bounds"] = low_reads;
  o["reads_above_bounds"] = high_reads;
  o["lost_increments"] = lost_increments;
  boost::json::array ex;
  for (const CounterViolation& v : examples) {
    boost::json::object e{{"read_index", v.read_index}, {"process", v.process}, {"final", v.final},
                          {"value", v.value},           {"lower", v.lower},     {"upper", v.upper}};
    if (v.node) e["node"] = *v.node;
    e["problem"] = counter_read_problem(v.value, v.lower, v.upper);
    ex.push_back(std::move(e));
  }
  o["violations"] = std::move(ex);
  return o;
}

std::string CounterCheckResult::summary() const {
  std::ostringstream s;
  s << "counter: " << to_string(verdict);
  if (!reason.empty()) s << " (" << reason << ")";
  s << "\n  adds: " << adds_ok << " ok (total " << acknowledged_total << "), " << adds_unknown
    << " unknown, " << adds_failed << " failed; up to " << possible_total << " possible\n";
  s << "  reads: " << reads << " (" << final_reads << " final";
  for (std::size_t i = 0; i < final_values.size(); ++i) s << (i ? ", " : ": ") << final_values[i];
  s << "); below bounds " << low_reads << ", above " << high_reads << "\n";
  if (lost_increments)
    s << "  lost increments: " << lost_increments
      << " acknowledged, missing from the final reads\n";
  for (const CounterViolation& v : examples) {
    s << "  read at op " << v.read_index << (v.final ? " (final)" : "") << " on "
      << v.node.value_or("?") << " returned " << v.value << ", expected " << v.lower << ".."
      << v.upper << "\n";
  }
  return s.str();
}

}  // namespace faultline
