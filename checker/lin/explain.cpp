#include "checker/lin/explain.h"

#include <algorithm>

namespace faultline {
namespace {

constexpr std::size_t kMaxShrinkOps = 400;  // larger cores are reported unshrunk
// A re-check may explore this many times the states of the original search (plus a
// little): a core much harder to refute than the history is not worth the wait.
constexpr std::uint64_t kShrinkStateFactor = 2;
constexpr std::uint64_t kShrinkStateSlack = 500;

// The operations selected by `mode` (0 dropped, 1 kept as is, 2 kept with unknown outcome),
// with `same_as` re-indexed.
std::vector<SearchOp> subset(const std::vector<SearchOp>& ops, const std::vector<int>& mode) {
  std::vector<int> new_index(ops.size(), -1);
  std::vector<SearchOp> out;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (mode[i] == 0) continue;
    SearchOp op = ops[i];
    if (mode[i] == 2) op.ret = kNeverReturns;
    const int same = ops[i].same_as;  // kept only while its target is kept, still unknown
    op.same_as = (same >= 0 && mode[same] == 1) ? new_index[same] : -1;
    new_index[i] = static_cast<int>(out.size());
    out.push_back(op);
  }
  return out;
}

std::string op_ref(const ReportedOp& op) {
  std::string out = "#";
  out += std::to_string(op.index);
  out += ' ';
  out += op.text;
  out += " (process ";
  out += std::to_string(op.process);
  if (op.line) {
    out += ", line ";
    out += std::to_string(op.line);
  }
  out += ')';
  return out;
}

}  // namespace

ReportedOp report_op(const History& history, const PairedHistory& paired,
                     const PartitionModel& model, const SearchOp& op) {
  const PairedOp& p = paired.ops[op.paired];
  const Operation& invoke = history.ops[p.invoke];
  ReportedOp out;
  out.index = static_cast<std::size_t>(invoke.index >= 0 ? invoke.index
                                                         : static_cast<std::int64_t>(p.invoke));
  if (p.completion) {
    const Operation& done = history.ops[*p.completion];
    out.completion_index = static_cast<std::size_t>(
        done.index >= 0 ? done.index : static_cast<std::int64_t>(*p.completion));
  }
  out.process = p.process;
  out.outcome = op.known() ? "ok" : "info";
  out.text = model.describe_op(op.model_op);
  out.line = invoke.line;
  return out;
}

Explanation explain_invalid(const History& history, const PairedHistory& paired,
                            CompiledPartition& part, const SearchOutcome& outcome,
                            MemoryBudget& budget, std::chrono::steady_clock::time_point deadline,
                            const StillInvalid& still_invalid) {
  Explanation ex;
  const auto& ops = part.ops;
  PartitionModel& model = *part.model;
  if (outcome.culprit < 0) return ex;
  const SearchOp& culprit = ops[outcome.culprit];
  ex.culprit = report_op(history, paired, model, culprit);
  for (int i : outcome.longest_prefix)
    ex.longest_prefix.push_back(report_op(history, paired, model, ops[i]));
  for (std::uint64_t s : outcome.culprit_states) {
    std::string why = model.why_rejects(s, culprit.model_op);
    if (why.empty()) {
      why = ex.culprit.text +
            " could take effect here, but then the operations that must follow "
            "it cannot";
    }
    ex.states.push_back({model.describe_state(s), why});
  }

  // The core: first the history up to the culprit's completion (later operations are
  // dropped or left unknown), then one operation at a time.
  std::vector<int> mode(ops.size(), 1);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].call > culprit.ret)
      mode[i] = 0;
    else if (ops[i].known() && ops[i].ret > culprit.ret)
      mode[i] = 2;
  }
  SearchLimits limits;
  limits.deadline = deadline;
  limits.memory = &budget;
  limits.max_states = outcome.states * kShrinkStateFactor + kShrinkStateSlack;
  auto invalid = [&](const std::vector<int>& m) {
    if (still_invalid) return still_invalid(subset(ops, m), limits);
    return search_linearization(subset(ops, m), model, limits, false).verdict == Verdict::kInvalid;
  };
  if (!outcome.core_hint.empty()) {
    std::vector<int> hinted(ops.size(), 0);
    for (int i : outcome.core_hint) hinted[i] = 1;
    if (invalid(hinted)) mode = std::move(hinted);
  }
  if (!invalid(mode)) std::fill(mode.begin(), mode.end(), 1);
  // Then known operations become unknown: whole chunks first (as in delta debugging),
  // halving their size, then one at a time.
  const auto known = std::count_if(mode.begin(), mode.end(), [](int m) { return m == 1; });
  bool minimal = static_cast<std::size_t>(known) <= kMaxShrinkOps;
  for (std::size_t chunk = static_cast<std::size_t>(known) / 2; minimal && chunk > 1; chunk /= 2) {
    std::vector<std::size_t> alive;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      if (mode[i] == 1 && ops[i].known()) alive.push_back(i);
    }
    for (std::size_t begin = 0; begin < alive.size(); begin += chunk) {  // earliest first
      const std::size_t end = std::min(alive.size(), begin + chunk);
      std::vector<int> trial = mode;
      for (std::size_t j = begin; j < end; ++j) trial[alive[j]] = 2;
      if (std::chrono::steady_clock::now() > deadline) {
        minimal = false;
        break;
      }
      if (invalid(trial)) mode = std::move(trial);
    }
  }
  for (std::size_t k = 0; minimal && k < ops.size(); ++k) {
    if (mode[k] != 1 || !ops[k].known()) continue;
    if (std::chrono::steady_clock::now() > deadline) {
      minimal = false;
      break;
    }
    mode[k] = 2;
    if (!invalid(mode)) mode[k] = 1;
  }
  ex.core_minimal = minimal;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (mode[i] == 1 && ops[i].known())
      ex.core.push_back(report_op(history, paired, model, ops[i]));
  }

  std::string& t = ex.text;
  t = "operation " + op_ref(ex.culprit) + " cannot be linearized.\n";
  if (!ex.states.empty()) {
    t += "  States the object could be in when it had to take effect:\n";
    for (const auto& s : ex.states) t += "    " + s.state + ": " + s.why + "\n";
  }
  t += "  Longest linearizable prefix: " + std::to_string(ex.longest_prefix.size()) + " operations";
  if (!ex.longest_prefix.empty()) {
    t += ", ending";
    const std::size_t from = ex.longest_prefix.size() > 5 ? ex.longest_prefix.size() - 5 : 0;
    for (std::size_t i = from; i < ex.longest_prefix.size(); ++i) {
      t += (i == from ? " " : ", ") + std::string("#") +
           std::to_string(ex.longest_prefix[i].index) + " " + ex.longest_prefix[i].text;
    }
  }
  t += ".\n  Non-linearizable even if every other operation up to it had an unknown outcome (" +
       std::to_string(ex.core.size()) + (ex.core.size() == 1 ? " operation" : " operations") +
       (ex.core_minimal ? "" : ", not minimised") + "):\n";
  for (const auto& op : ex.core) t += "    " + op_ref(op) + "\n";
  return ex;
}

}  // namespace faultline
