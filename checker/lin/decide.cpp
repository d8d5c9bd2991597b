#include "checker/lin/decide.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <numeric>

#include "checker/lin/explain.h"
#include "checker/lin/zones.h"

namespace faultline {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kShrinkSeconds = 0.2;  // per invalid partition, for the explanation's core
// The whole-map search may visit this many states per operation (plus the slack) before
// the map is decided by locality. Porcupine's c10 kv history needs about 3 per operation.
constexpr std::uint64_t kWholeMapStatesPerOp = 8;
constexpr std::uint64_t kWholeMapStatesSlack = 1000;

void name_key(ReportedOp& op, const std::string& prefix) {
  op.text = prefix + op.text;
}

// The explanation of one key, said of the whole map.
void name_key(Explanation& ex, const boost::json::value& key) {
  const std::string prefix = key.is_null() ? "unkeyed: " : "key " + value_text(key) + ": ";
  name_key(ex.culprit, prefix);
  for (auto& op : ex.longest_prefix) name_key(op, prefix);
  for (auto& op : ex.core) name_key(op, prefix);
  for (auto& s : ex.states) {
    s.state = prefix + s.state;
    if (!s.why.empty()) s.why = prefix + s.why;
  }
  ex.text =
      (key.is_null() ? std::string("on the unkeyed operations") : "on key " + value_text(key)) +
      " (keys are independent, so it was checked on its own; the longest prefix is "
      "this key's): " +
      ex.text;
}

// Decides the whole history by locality: every key on its own, largest first.
void decide_by_key(const DecideContext& ctx, PartitionResult& out) {
  const std::vector<PartitionInput> keys =
      split_partitions(ctx.history, ctx.paired, true, ctx.options.threads != 1);
  std::vector<std::size_t> order(keys.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return keys[a].paired.size() > keys[b].paired.size();
  });
  std::vector<PartitionResult> results(keys.size());
  auto one = [&](std::size_t i) {
    if (ctx.stop.load() && !ctx.options.all_keys) {
      results[i].verdict = Verdict::kUnknown;
      results[i].reason = "cancelled";
      return;
    }
    decide_partition(ctx, keys[i], false, results[i]);
  };
  if (ctx.options.threads == 1) {
    for (std::size_t i : order) one(i);
  } else {  // runs in the caller's task arena
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, order.size(), 1),
        [&](const tbb::blocked_range<std::size_t>& r) {
          for (std::size_t k = r.begin(); k != r.end(); ++k) one(order[k]);
        },
        tbb::simple_partitioner());
  }
  out.engine = "by-key";
  out.verdict = Verdict::kValid;
  out.reason.clear();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    PartitionResult& r = results[i];
    out.states_explored += r.states_explored;
    out.peak_memory_bytes = std::max(out.peak_memory_bytes, r.peak_memory_bytes);
    if (r.verdict == Verdict::kInvalid && out.verdict != Verdict::kInvalid) {
      out.verdict = Verdict::kInvalid;
      out.reason.clear();
      if (r.explanation) {
        out.explanation = std::move(r.explanation);
        name_key(*out.explanation, keys[i].key.value_or(nullptr));
      }
    } else if (r.verdict == Verdict::kUnknown && out.verdict == Verdict::kValid) {
      out.verdict = Verdict::kUnknown;
      out.reason = r.reason;
    } else if (r.verdict == Verdict::kUnknown && out.verdict == Verdict::kUnknown &&
               out.reason == "cancelled") {
      out.reason = r.reason;  // a real reason over "cancelled"
    }
  }
}

}  // namespace

void decide_partition(const DecideContext& ctx, const PartitionInput& input, bool keyed_whole,
                      PartitionResult& out) {
  CompiledPartition part =
      compile_partition(ctx.history, ctx.paired, input, ctx.factory, ctx.config, keyed_whole);
  out.operations = part.ops.size();
  if (part.known == 0) {
    out.verdict = Verdict::kValid;
    out.engine = "trivial";  // nothing known happened: linearize nothing
    return;
  }
  SearchLimits limits;
  limits.deadline = ctx.deadline;
  limits.cancel = ctx.options.all_keys ? nullptr : &ctx.stop;
  limits.memory = &ctx.budget;
  limits.explored = &ctx.explored;
  if (keyed_whole) {
    limits.max_states = ctx.options.whole_map_states
                            ? ctx.options.whole_map_states
                            : kWholeMapStatesPerOp * part.ops.size() + kWholeMapStatesSlack;
  }
  // Distinct-valued registers have a polynomial engine; everything else is searched.
  std::optional<SearchOutcome> fast;
  if (!keyed_whole)
    fast = check_distinct_register(part.ops, *part.model, limits, ctx.options.explain);
  SearchOutcome outcome =
      fast ? std::move(*fast)
           : search_linearization(part.ops, *part.model, limits, ctx.options.explain);
  out.engine = fast ? "zones" : "wgl";
  out.verdict = outcome.verdict;
  out.reason = outcome.reason;
  out.states_explored = outcome.states;
  out.peak_memory_bytes = outcome.peak_bytes;
  if (keyed_whole && outcome.verdict == Verdict::kUnknown && outcome.reason == "budget") {
    part = CompiledPartition();  // the whole map's model is no longer needed
    decide_by_key(ctx, out);
    return;
  }
  if (outcome.verdict != Verdict::kInvalid) return;
  if (!ctx.options.all_keys) ctx.stop.store(true);
  if (!ctx.options.explain) return;
  const auto shrink_deadline =
      std::min(ctx.deadline, Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                std::chrono::duration<double>(kShrinkSeconds)));
  StillInvalid recheck;
  if (fast) {
    recheck = [&part](const std::vector<SearchOp>& sub, const SearchLimits& l) {
      auto v = check_distinct_register(sub, *part.model, l, false);
      return v && v->verdict == Verdict::kInvalid;
    };
  }
  out.explanation =
      explain_invalid(ctx.history, ctx.paired, part, outcome, ctx.budget, shrink_deadline, recheck);
}

}  // namespace faultline
