#include "checker/convergence/convergence.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "checker/history/input_error.h"
#include "checker/history/op_values.h"
#include "checker/history/pairing.h"
#include "checker/perf/distribution.h"
#include "checker/perf/fault_windows.h"

namespace faultline {
namespace {

constexpr std::int64_t kMinusInfinity = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kInfinity = std::numeric_limits<std::int64_t>::max();

struct FinalRead {
  std::string state;  // canonical JSON text
  std::int64_t invoke = 0, complete = 0;
};

struct Write {
  std::string value;  // JSON text
  OpType outcome = OpType::kInfo;
  std::int64_t invoke = 0, complete = kInfinity;
};

struct KeyData {
  std::map<std::string, std::vector<FinalRead>> by_node;
  std::vector<Write> writes;
  std::vector<std::pair<std::string, std::int64_t>> observations;  // value seen by ok read/cas
};

// A set's state: its elements' JSON texts, sorted and unique, as a JSON array text.
std::string canonical_set(const boost::json::value& v, const History& h, const Operation& op,
                          std::vector<std::string>* elements = nullptr) {
  const auto* array = v.if_array();
  if (!array) {
    throw InputError(h.source, op.line, 1,
                     "a set read's value must be an array, got " + boost::json::serialize(v));
  }
  std::set<std::string> sorted;
  for (const auto& e : *array) sorted.insert(boost::json::serialize(e));
  std::string out = "[";
  for (const auto& e : sorted) out += (out.size() > 1 ? "," : "") + e;
  if (elements) elements->assign(sorted.begin(), sorted.end());
  return out + "]";
}

std::vector<std::string> elements_of(const std::string& state) {
  boost::json::value v = boost::json::parse(state);
  std::vector<std::string> out;
  for (const auto& e : v.as_array()) out.push_back(boost::json::serialize(e));
  return out;
}

void judge_key(KeyConvergence& k, KeyData& data, bool set_shape, bool counter_shape,
               std::int64_t heal, double timeout_s) {
  k.nodes = data.by_node.size();
  std::string state;
  bool agree = true;
  for (const auto& [node, reads] : data.by_node) {
    if (state.empty()) state = reads.back().state;
    agree = agree && reads.back().state == state;
  }
  if (!agree) {
    std::string states;
    for (const auto& [node, reads] : data.by_node) {
      states += (states.empty() ? "" : "; ") + node + " " + reads.back().state;
    }
    k.problem = "nodes disagree after the last final read: " + states;
    return;
  }
  k.converged = true;
  k.state = state;
  std::int64_t reached = kMinusInfinity;
  for (const auto& [node, reads] : data.by_node) {
    std::size_t first = reads.size() - 1;
    while (first > 0 && reads[first - 1].state == state) --first;
    reached = std::max(reached, reads[first].complete);
  }
  k.convergence_ms = std::max<double>(0, static_cast<double>(reached - heal) / 1e6);
  if (*k.convergence_ms > timeout_s * 1000) {
    k.problem = "converged only after " +
                std::to_string(static_cast<long long>(*k.convergence_ms)) +
                " ms, beyond the timeout";
  }

  if (counter_shape) {
    // Lost or invented increments are the counter checker's to judge (it has the bounds).
  } else if (set_shape) {
    std::set<std::string> held;
    for (auto& e : elements_of(state)) held.insert(std::move(e));
    std::set<std::string> produced;
    for (const Write& w : data.writes) {
      if (w.outcome != OpType::kFail) produced.insert(w.value);
      if (w.outcome == OpType::kOk && !held.count(w.value)) k.lost.push_back(w.value);
    }
    for (const auto& e : held) {
      if (!produced.count(e)) k.unexpected.push_back(e);
    }
  } else {
    std::int64_t known = state == "null" ? kMinusInfinity : kInfinity;
    bool produced = state == "null";
    for (const Write& w : data.writes) {
      if (w.value != state || w.outcome == OpType::kFail) continue;
      produced = true;
      if (w.outcome == OpType::kOk) known = std::min(known, w.complete);
    }
    if (!produced) {
      k.unexpected.push_back(state);
    } else {
      for (const auto& [value, at] : data.observations) {
        if (value == state) known = std::min(known, at);
      }
      for (const Write& w : data.writes) {
        if (w.outcome == OpType::kOk && w.invoke > known) k.lost.push_back(w.value);
      }
    }
  }
  if (!k.unexpected.empty() && k.problem.empty()) k.problem = "holds values no write produced";
  if (!k.lost.empty() && k.problem.empty()) k.problem = "lost acknowledged writes";
}

}  // namespace

ConvergenceResult check_convergence(const History& history, const ConvergenceOptions& options) {
  ConvergenceResult result;
  result.timeout_s = options.timeout_s;
  PairedHistory paired = pair_operations(history);
  const bool adds = std::any_of(history.ops.begin(), history.ops.end(),
                                [](const Operation& op) { return op.f == "add"; });
  // A counter (add n, read -> integer) also adds: its reads are not arrays.
  const bool counter_shape =
      adds && std::any_of(paired.ops.begin(), paired.ops.end(), [&](const PairedOp& p) {
        return p.outcome == OpType::kOk && history.ops[p.invoke].f == "read" &&
               history.ops[*p.completion].value.is_number();
      });
  const bool set_shape = adds && !counter_shape;
  result.shape = counter_shape ? "counter" : set_shape ? "set" : "register";

  std::map<std::string, KeyData> keys;
  std::int64_t first_final = -1;
  for (const PairedOp& p : paired.ops) {
    const Operation& invoke = history.ops[p.invoke];
    KeyData& data = keys[invoke.key ? boost::json::serialize(*invoke.key) : "null"];
    const Operation* done = p.completion ? &history.ops[*p.completion] : nullptr;
    const bool ok = p.outcome == OpType::kOk;
    if (is_final_op(invoke)) {
      if (!ok) continue;
      std::string state = set_shape ? canonical_set(done->value, history, *done)
                                    : boost::json::serialize(done->value);
      std::string node = done->node ? *done->node : invoke.node ? *invoke.node : "";
      data.by_node[node].push_back({state, invoke.time, done->time});
      ++result.final_reads;
      if (first_final < 0 || invoke.time < first_final) first_final = invoke.time;
      continue;
    }
    std::int64_t complete = done && ok ? done->time : kInfinity;
    if (counter_shape) continue;
    if (invoke.f == "read" && ok && !set_shape) {
      data.observations.emplace_back(boost::json::serialize(done->value), done->time);
    } else if (invoke.f == "write" || invoke.f == "add") {
      data.writes.push_back(
          {boost::json::serialize(invoke.value), p.outcome, invoke.time, complete});
    } else if (invoke.f == "cas") {
      const auto& installs = cas_new_value(history, invoke);  // validates [old, new]
      data.writes.push_back({boost::json::serialize(installs), p.outcome, invoke.time, complete});
      if (ok) {
        data.observations.emplace_back(boost::json::serialize(invoke.value.as_array()[0]),
                                       done->time);
      }
    }
  }
  if (result.final_reads == 0) return result;

  std::int64_t heal = last_heal_time(history);
  if (heal < 0) heal = first_final;
  for (auto& [key, data] : keys) {
    if (data.by_node.empty()) continue;
    KeyConvergence k;
    k.key = key;
    judge_key(k, data, set_shape, counter_shape, heal, options.timeout_s);
    if (!k.converged) ++result.diverged;
    if (k.converged && *k.convergence_ms > options.timeout_s * 1000) ++result.timed_out;
    result.lost += k.lost.size();
    result.unexpected += k.unexpected.size();
    if (k.convergence_ms) {
      result.max_convergence_ms =
          std::max(result.max_convergence_ms.value_or(0), *k.convergence_ms);
    }
    result.keys.push_back(std::move(k));
  }
  bool bad = result.diverged || result.timed_out || result.lost || result.unexpected;
  result.verdict = bad ? Verdict::kInvalid : Verdict::kValid;
  return result;
}

boost::json::object ConvergenceResult::to_json(std::size_t max_examples) const {
  boost::json::object doc;
  doc["checker"] = "convergence";
  doc["verdict"] = to_string(verdict);
  doc["shape"] = shape;
  doc["final_reads"] = final_reads;
  doc["keys"] = keys.size();
  doc["diverged"] = diverged;
  doc["timed_out"] = timed_out;
  doc["lost"] = lost;
  doc["unexpected"] = unexpected;
  doc["timeout_s"] = timeout_s;
  doc["convergence_ms"] = max_convergence_ms ? boost::json::value(round3(*max_convergence_ms))
                                             : boost::json::value(nullptr);
  boost::json::array per_key, problems;
  for (const KeyConvergence& k : keys) {
    if (per_key.size() < 100) {
      per_key.push_back(
          {{"key", k.key},
           {"converged", k.converged},
           {"convergence_ms", k.convergence_ms ? boost::json::value(round3(*k.convergence_ms))
                                               : boost::json::value(nullptr)},
           {"nodes", k.nodes}});
    }
    if (!k.problem.empty() && problems.size() < max_examples) {
      boost::json::array lost_values, unexpected_values;
      for (std::size_t i = 0; i < k.lost.size() && i < max_examples; ++i)
        lost_values.push_back(boost::json::string(k.lost[i]));
      for (std::size_t i = 0; i < k.unexpected.size() && i < max_examples; ++i) {
        unexpected_values.push_back(boost::json::string(k.unexpected[i]));
      }
      problems.push_back({{"key", k.key},
                          {"problem", k.problem},
                          {"lost", std::move(lost_values)},
                          {"unexpected", std::move(unexpected_values)}});
    }
  }
  doc["per_key"] = std::move(per_key);
  doc["problems"] = std::move(problems);
  return doc;
}

std::string ConvergenceResult::summary() const {
  std::ostringstream out;
  out << "convergence: ";
  if (verdict == Verdict::kUnknown) return out.str() + "unknown (no final reads)\n";
  out << keys.size() << " keys over " << final_reads << " final reads; ";
  if (max_convergence_ms) out << "converged within " << round3(*max_convergence_ms) << " ms; ";
  out << diverged << " diverged, " << timed_out << " beyond " << timeout_s << " s, " << lost
      << " acknowledged writes lost, " << unexpected << " unexpected values -> "
      << to_string(verdict) << "\n";
  return out.str();
}

}  // namespace faultline
