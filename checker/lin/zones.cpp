#include "checker/lin/zones.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

namespace faultline {
namespace {

// Positions shifted by one so that 0 is "before everything" (the initial value's virtual
// write) and kForever is the completion of an unknown-outcome operation.
constexpr std::uint64_t kForever = std::numeric_limits<std::uint64_t>::max();
std::uint64_t call_key(const SearchOp& op) {
  return op.call + 1;
}
std::uint64_t ret_key(const SearchOp& op) {
  return op.known() ? op.ret + 1 : kForever;
}

struct Cluster {
  std::uint64_t value = 0;
  int writer = -1;                     // index in ops; -1: the initial value, or never written
  std::uint64_t first_ret = kForever;  // smallest completion of its operations
  std::uint64_t last_call = 0;         // largest invocation of its operations
  bool placeable = true;               // false: written by nobody, or read before its write
};

class Zones {
 public:
  Zones(const std::vector<SearchOp>& ops, PartitionModel& model, const SearchLimits& limits)
      : ops_(ops), model_(model), limits_(limits) {}

  std::optional<SearchOutcome> run(bool explain);

 private:
  bool build();
  bool over_limit(SearchOutcome& out);
  void explain_stuck(SearchOutcome& out,
                     const std::set<std::pair<std::uint64_t, std::uint32_t>>& remaining);

  const std::vector<SearchOp>& ops_;
  PartitionModel& model_;
  const SearchLimits& limits_;
  std::vector<Cluster> clusters_;
  std::vector<std::uint32_t> cluster_of_;  // per op; kNone for dropped unknown reads
  std::vector<std::uint32_t> order_;       // clusters placed, in linearization order
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
};

// Clusters from the operations; false when the engine does not apply.
bool Zones::build() {
  const std::uint64_t initial = model_.initial();
  std::vector<PartitionModel::RegisterAccess> access(ops_.size());
  for (std::size_t i = 0; i < ops_.size(); ++i) {
    auto a = model_.register_access(ops_[i].model_op);
    if (!a) return false;
    access[i] = *a;
  }
  std::unordered_map<std::uint64_t, std::uint32_t> by_value;
  by_value.reserve(ops_.size() / 2 + 1);
  clusters_.push_back({initial, -1, 0, 0, true});
  by_value.emplace(initial, 0);
  cluster_of_.assign(ops_.size(), kNone);
  for (std::size_t i = 0; i < ops_.size(); ++i) {
    if (!access[i].write) continue;
    auto [it, inserted] = by_value.try_emplace(access[i].value, clusters_.size());
    if (!inserted) return false;  // written twice, or the initial value written
    clusters_.push_back(
        {access[i].value, static_cast<int>(i), ret_key(ops_[i]), call_key(ops_[i]), true});
    cluster_of_[i] = it->second;
  }
  for (std::size_t i = 0; i < ops_.size(); ++i) {
    if (access[i].write || !ops_[i].known()) continue;  // an unknown read constrains nothing
    auto [it, inserted] = by_value.try_emplace(access[i].value, clusters_.size());
    if (inserted) clusters_.push_back({access[i].value, -1, kForever, 0, false});
    Cluster& c = clusters_[it->second];
    c.first_ret = std::min(c.first_ret, ret_key(ops_[i]));
    c.last_call = std::max(c.last_call, call_key(ops_[i]));
    if (c.writer >= 0 && ops_[i].ret < ops_[c.writer].call) c.placeable = false;
    cluster_of_[i] = it->second;
  }
  return true;
}

bool Zones::over_limit(SearchOutcome& out) {
  if (limits_.cancel && limits_.cancel->load(std::memory_order_relaxed)) {
    out.reason = "cancelled";
  } else if (std::chrono::steady_clock::now() > limits_.deadline) {
    out.reason = "time";
  } else {
    return false;
  }
  out.verdict = Verdict::kUnknown;
  return true;
}

std::optional<SearchOutcome> Zones::run(bool explain) {
  SearchOutcome out;
  // Ops, clusters and two ordered sets of clusters (tree nodes of ~48 bytes).
  const std::size_t bytes = ops_.size() * (sizeof(PartitionModel::RegisterAccess) + 4 + 48) +
                            (ops_.size() + 1) * (sizeof(Cluster) + 2 * 48);
  if (!limits_.memory->try_reserve(bytes)) {
    out.reason = "memory";
    return out;
  }
  struct Release {
    MemoryBudget& budget;
    std::size_t bytes;
    ~Release() { budget.release(bytes); }
  } release{*limits_.memory, bytes};
  out.peak_bytes = bytes;
  if (!build()) return std::nullopt;

  using Keyed = std::set<std::pair<std::uint64_t, std::uint32_t>>;
  Keyed by_first_ret, by_last_call;  // remaining clusters; by_last_call: placeable ones only
  for (std::uint32_t c = 0; c < clusters_.size(); ++c) {
    by_first_ret.emplace(clusters_[c].first_ret, c);
    if (clusters_[c].placeable) by_last_call.emplace(clusters_[c].last_call, c);
  }
  order_.reserve(clusters_.size());
  while (!by_first_ret.empty()) {
    if ((order_.size() & 0xffff) == 0xffff && over_limit(out)) return out;
    // A source: no other remaining cluster completes an operation before its last call.
    const std::uint32_t first = by_first_ret.begin()->second;
    auto candidate = by_last_call.begin();
    if (candidate != by_last_call.end() && candidate->second == first) ++candidate;
    std::uint32_t pick = kNone;
    if (candidate != by_last_call.end() && candidate->first < clusters_[first].first_ret) {
      pick = candidate->second;
    } else if (clusters_[first].placeable) {
      auto second = std::next(by_first_ret.begin());
      if (second == by_first_ret.end() || clusters_[first].last_call < second->first) pick = first;
    }
    if (pick == kNone) break;
    by_first_ret.erase({clusters_[pick].first_ret, pick});
    by_last_call.erase({clusters_[pick].last_call, pick});
    order_.push_back(pick);
  }
  out.states = order_.size();
  if (limits_.explored) limits_.explored->fetch_add(order_.size(), std::memory_order_relaxed);
  if (by_first_ret.empty()) {
    out.verdict = Verdict::kValid;
    return out;
  }
  out.verdict = Verdict::kInvalid;
  if (explain) explain_stuck(out, by_first_ret);
  return out;
}

// The culprit is the remaining operation that completes first; when that is its
// cluster's write, the read that cannot follow it is more telling: the one invoked last,
// after an operation of another cluster completed (that cluster's value is then the
// state it meets).
void Zones::explain_stuck(SearchOutcome& out,
                          const std::set<std::pair<std::uint64_t, std::uint32_t>>& remaining) {
  std::vector<std::vector<int>> reads(clusters_.size());
  for (std::size_t i = 0; i < ops_.size(); ++i) {
    const std::uint32_t c = cluster_of_[i];
    if (c != kNone && clusters_[c].writer != static_cast<int>(i))
      reads[c].push_back(static_cast<int>(i));
  }
  for (std::uint32_t c : order_) {
    if (clusters_[c].writer >= 0) out.longest_prefix.push_back(clusters_[c].writer);
    std::sort(reads[c].begin(), reads[c].end(),
              [&](int a, int b) { return ops_[a].ret < ops_[b].ret; });
    out.longest_prefix.insert(out.longest_prefix.end(), reads[c].begin(), reads[c].end());
  }
  const std::uint64_t state = order_.empty() ? clusters_[0].value : clusters_[order_.back()].value;
  const Cluster& stuck = clusters_[remaining.begin()->second];
  int culprit = stuck.writer;
  for (int r : reads[remaining.begin()->second]) {
    if (culprit < 0 || ret_key(ops_[r]) < ret_key(ops_[culprit])) culprit = r;
  }
  out.culprit = culprit;
  out.culprit_states = {state};
  // A core. The stuck cluster `a` completes an operation first. If it or the runner-up
  // `b` cannot be placed at all, its own operations are a core (a read of a value never
  // written; a read completed before its write). Otherwise a and b form a cycle: a's
  // first completion precedes b's last invocation and b's first completion precedes a's
  // last invocation; those operations and the two writes keep the cycle on their own.
  auto extremes = [&](std::uint32_t c) {
    const Cluster& k = clusters_[c];
    std::vector<int> ops;
    if (k.writer >= 0) ops.push_back(k.writer);
    for (int r : reads[c]) {
      if (ret_key(ops_[r]) == k.first_ret || call_key(ops_[r]) == k.last_call) ops.push_back(r);
    }
    return ops;
  };
  const std::uint32_t a = remaining.begin()->second;
  if (!clusters_[a].placeable) {
    out.core_hint = extremes(a);
    if (clusters_[a].writer < 0) out.core_hint = {culprit};
  } else if (remaining.size() > 1) {
    const std::uint32_t b = std::next(remaining.begin())->second;
    if (!clusters_[b].placeable) {
      out.core_hint = extremes(b);
      if (clusters_[b].writer < 0)
        out.core_hint.resize(std::min<std::size_t>(out.core_hint.size(), 1));
    } else {
      out.core_hint = extremes(a);
      for (int op : extremes(b)) out.core_hint.push_back(op);
    }
  }
  std::sort(out.core_hint.begin(), out.core_hint.end());
  out.core_hint.erase(std::unique(out.core_hint.begin(), out.core_hint.end()), out.core_hint.end());
  if (culprit >= 0 && culprit == stuck.writer && remaining.size() > 1) {
    for (int r : reads[remaining.begin()->second]) {
      if (call_key(ops_[r]) == stuck.last_call) out.culprit = r;
    }
    out.culprit_states = {clusters_[std::next(remaining.begin())->second].value};
  }
}

}  // namespace

std::optional<SearchOutcome> check_distinct_register(const std::vector<SearchOp>& ops,
                                                     PartitionModel& model,
                                                     const SearchLimits& limits, bool explain) {
  Zones zones(ops, model, limits);
  return zones.run(explain);
}

}  // namespace faultline
