#include "checker/staleness/staleness.h"

#include <algorithm>
#include <limits>
#include <sstream>
#include <unordered_map>

#include "checker/history/input_error.h"
#include "checker/history/op_values.h"
#include "checker/history/pairing.h"

namespace faultline {
namespace {

constexpr std::int64_t kMinusInfinity = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kInfinity = std::numeric_limits<std::int64_t>::max();

struct Value {
  bool written = false;  // some write or cas attempted to install it
  OpType write_outcome = OpType::kInfo;
  std::int64_t write_invoke = 0;
  std::int64_t known = kInfinity;  // K(v)
};

struct KeyRead {
  std::int64_t index = 0, invoke = 0, complete = 0;
  std::string value, node;
};

struct Observation {  // an ok read or ok cas that saw `value` by `complete`
  std::string value;
  std::int64_t complete = 0;
};

struct KeyData {
  std::unordered_map<std::string, Value> values;
  std::vector<KeyRead> reads;
  std::vector<Observation> observations;
};

const std::string kNil = "null";

// Fenwick tree counting inserted ranks below a bound.
class Fenwick {
 public:
  explicit Fenwick(std::size_t n) : tree_(n + 1, 0) {}
  void add(std::size_t rank) {
    for (std::size_t i = rank + 1; i < tree_.size(); i += i & (~i + 1)) ++tree_[i];
  }
  std::int64_t count_below(std::size_t rank) const {  // ranks < rank
    std::int64_t sum = 0;
    for (std::size_t i = rank; i > 0; i -= i & (~i + 1)) sum += tree_[i];
    return sum;
  }

 private:
  std::vector<std::int64_t> tree_;
};

struct Installed {
  std::int64_t invoke = 0, known = 0;
};

// Fills staleness and versions of the key's explained reads (appending to `out`), and its
// unexplained reads.
void measure_key(const std::string& key, KeyData& data, std::vector<ReadStaleness>& out,
                 std::vector<UnexplainedRead>& unexplained) {
  // K(v) from observations that a write could explain.
  for (const Observation& o : data.observations) {
    auto it = data.values.find(o.value);
    if (it == data.values.end() || !it->second.written) continue;
    Value& v = it->second;
    if (v.write_outcome != OpType::kFail && v.write_invoke <= o.complete) {
      v.known = std::min(v.known, o.complete);
    }
  }
  std::vector<Installed> installed;
  for (const auto& [text, v] : data.values) {
    if (v.written && v.known != kInfinity) installed.push_back({v.write_invoke, v.known});
  }
  // Writes by invocation, latest first; suffix minimum of K over "invoked after a".
  std::sort(installed.begin(), installed.end(),
            [](const Installed& a, const Installed& b) { return a.invoke > b.invoke; });
  std::vector<std::int64_t> known_ranks;
  for (const Installed& w : installed) known_ranks.push_back(w.known);
  std::sort(known_ranks.begin(), known_ranks.end());

  struct Query {
    std::size_t read;
    std::int64_t after;  // K(v)
  };
  std::vector<Query> queries;
  for (std::size_t i = 0; i < data.reads.size(); ++i) {
    const KeyRead& r = data.reads[i];
    if (r.value == kNil) {
      queries.push_back({i, kMinusInfinity});
      continue;
    }
    auto it = data.values.find(r.value);
    std::string why;
    if (it == data.values.end() || !it->second.written) {
      why = "no write of this value";
    } else if (it->second.write_outcome == OpType::kFail) {
      why = "only a failed write wrote this value";
    } else if (it->second.write_invoke > r.complete) {
      why = "its write began after the read completed";
    }
    if (!why.empty()) {
      unexplained.push_back({r.index, key, r.value, why});
      continue;
    }
    queries.push_back({i, it->second.known});
  }
  std::sort(queries.begin(), queries.end(),
            [](const Query& a, const Query& b) { return a.after > b.after; });

  Fenwick tree(known_ranks.size());
  std::size_t next = 0;
  std::int64_t min_known = kInfinity;  // min K over writes inserted so far
  for (const Query& q : queries) {
    while (next < installed.size() && installed[next].invoke > q.after) {
      auto rank = static_cast<std::size_t>(
          std::lower_bound(known_ranks.begin(), known_ranks.end(), installed[next].known) -
          known_ranks.begin());
      tree.add(rank);
      min_known = std::min(min_known, installed[next].known);
      ++next;
    }
    const KeyRead& r = data.reads[q.read];
    ReadStaleness s;
    s.index = r.index;
    s.key = key;
    s.node = r.node;
    s.staleness = min_known < r.invoke ? r.invoke - min_known : 0;
    auto below = static_cast<std::size_t>(
        std::lower_bound(known_ranks.begin(), known_ranks.end(), r.invoke) - known_ranks.begin());
    s.versions = tree.count_below(below);
    out.push_back(std::move(s));
  }
}

StalenessGroup group_of(const std::vector<const ReadStaleness*>& reads, double unit) {
  std::vector<double> time, versions;
  StalenessGroup g;
  for (const ReadStaleness* r : reads) {
    time.push_back(static_cast<double>(r->staleness) / unit);
    versions.push_back(static_cast<double>(r->versions));
    if (r->staleness > 0 || r->versions > 0) ++g.stale_reads;
  }
  g.time = distribution_of(time);
  g.versions = distribution_of(versions);
  return g;
}

}  // namespace

boost::json::object StalenessGroup::to_json() const {
  return {{"reads", time.count},
          {"stale_reads", stale_reads},
          {"time", time.to_json()},
          {"versions", versions.to_json()}};
}

StalenessResult check_staleness(const History& history) {
  StalenessResult result;
  PairedHistory paired = pair_operations(history);
  bool positions = false;
  for (const PairedOp& p : paired.ops) {
    if (history.ops[p.invoke].time == kNoTime ||
        (p.completion && history.ops[*p.completion].time == kNoTime)) {
      positions = true;
      break;
    }
  }
  result.clock = positions ? "positions" : "ns";
  auto time_of = [&](std::size_t pos) {
    return positions ? static_cast<std::int64_t>(pos) : history.ops[pos].time;
  };

  std::map<std::string, KeyData> keys;
  for (const PairedOp& p : paired.ops) {
    const Operation& invoke = history.ops[p.invoke];
    if (is_final_op(invoke)) continue;
    KeyData& data = keys[invoke.key ? boost::json::serialize(*invoke.key) : kNil];
    std::int64_t t_invoke = time_of(p.invoke);
    std::int64_t t_complete = p.completion ? time_of(*p.completion) : kInfinity;
    const bool ok = p.outcome == OpType::kOk;
    if (invoke.f == "read") {
      if (!ok) continue;
      const Operation& done = history.ops[*p.completion];
      std::string value = boost::json::serialize(done.value);
      std::string node = done.node ? *done.node : invoke.node ? *invoke.node : "";
      data.reads.push_back({invoke.index, t_invoke, t_complete, value, node});
      data.observations.push_back({value, t_complete});
      continue;
    }
    const boost::json::value* installs = nullptr;
    if (invoke.f == "write") {
      installs = &invoke.value;
    } else if (invoke.f == "cas") {
      installs = &cas_new_value(history, invoke);  // validates [old, new]
      if (ok) {
        data.observations.push_back(
            {boost::json::serialize(invoke.value.as_array()[0]), t_complete});
      }
    } else {
      continue;  // not a register operation
    }
    std::string text = boost::json::serialize(*installs);
    Value& v = data.values[text];
    if (v.written) {
      throw InputError(history.source, invoke.line, 1,
                       "value " + text + " is written twice on key " +
                           (invoke.key ? boost::json::serialize(*invoke.key) : "(none)") +
                           "; staleness needs values unique per key");
    }
    v.written = true;
    v.write_outcome = p.outcome;
    v.write_invoke = t_invoke;
    if (ok) v.known = t_complete;
  }

  for (auto& [key, data] : keys) measure_key(key, data, result.reads, result.unexplained);
  std::sort(result.reads.begin(), result.reads.end(),
            [](const ReadStaleness& a, const ReadStaleness& b) { return a.index < b.index; });

  if (!positions) result.windows = fault_windows(history);
  // Read invocation times, to place reads in windows.
  std::unordered_map<std::int64_t, std::int64_t> invoked_at;
  for (const PairedOp& p : paired.ops) invoked_at[history.ops[p.invoke].index] = time_of(p.invoke);

  std::vector<const ReadStaleness*> all, in, outside;
  std::map<std::string, std::vector<const ReadStaleness*>> by_node;
  std::vector<std::vector<const ReadStaleness*>> by_window(result.windows.size());
  for (ReadStaleness& r : result.reads) {
    r.window = result.windows.empty() ? -1 : window_at(result.windows, invoked_at[r.index]);
    all.push_back(&r);
    (r.window >= 0 ? in : outside).push_back(&r);
    by_node[r.node].push_back(&r);
    if (r.window >= 0) by_window[static_cast<std::size_t>(r.window)].push_back(&r);
    result.delta = std::max(result.delta, r.staleness);
    result.k = std::max(result.k, r.versions + 1);
  }
  const double unit = positions ? 1.0 : 1e6;  // ms
  result.all = group_of(all, unit);
  result.in_faults = group_of(in, unit);
  result.outside_faults = group_of(outside, unit);
  for (auto& [node, reads] : by_node) result.by_node[node] = group_of(reads, unit);
  for (auto& reads : by_window) result.by_window.push_back(group_of(reads, unit));
  return result;
}

boost::json::object StalenessResult::to_json() const {
  const bool ns = clock == "ns";
  boost::json::object doc;
  doc["checker"] = "staleness";
  doc["clock"] = clock;
  doc["time_unit"] = ns ? "ms" : "positions";
  doc["reads"] = reads.size();
  doc["stale_reads"] = all.stale_reads;
  doc["delta"] =
      ns ? boost::json::value(round3(static_cast<double>(delta) / 1e6)) : boost::json::value(delta);
  doc["k"] = k;
  doc["all"] = all.to_json();
  doc["in_faults"] = in_faults.to_json();
  doc["outside_faults"] = outside_faults.to_json();
  boost::json::object nodes;
  for (const auto& [node, g] : by_node) nodes[node.empty() ? "(none)" : node] = g.to_json();
  doc["by_node"] = std::move(nodes);
  boost::json::array wins = fault_windows_json(windows);
  for (std::size_t i = 0; i < wins.size() && i < by_window.size(); ++i) {
    wins[i].as_object()["staleness"] = by_window[i].to_json();
  }
  doc["windows"] = std::move(wins);
  // The stalest reads, worst first.
  std::vector<const ReadStaleness*> worst;
  for (const auto& r : reads) {
    if (r.staleness > 0 || r.versions > 0) worst.push_back(&r);
  }
  std::sort(worst.begin(), worst.end(), [](const ReadStaleness* a, const ReadStaleness* b) {
    return a->staleness != b->staleness ? a->staleness > b->staleness : a->versions > b->versions;
  });
  boost::json::array examples;
  for (std::size_t i = 0; i < worst.size() && i < 10; ++i) {
    const ReadStaleness& r = *worst[i];
    examples.push_back(
        {{"index", r.index},
         {"key", r.key},
         {"node", r.node},
         {"staleness", ns ? boost::json::value(round3(static_cast<double>(r.staleness) / 1e6))
                          : boost::json::value(r.staleness)},
         {"versions", r.versions}});
  }
  doc["stalest"] = std::move(examples);
  doc["unexplained_reads"] = unexplained.size();
  boost::json::array unexplained_examples;
  for (std::size_t i = 0; i < unexplained.size() && i < 10; ++i) {
    const UnexplainedRead& u = unexplained[i];
    unexplained_examples.push_back(
        {{"index", u.index}, {"key", u.key}, {"value", u.value}, {"why", u.why}});
  }
  doc["unexplained"] = std::move(unexplained_examples);
  return doc;
}

std::string StalenessResult::summary() const {
  std::ostringstream out;
  const bool ns = clock == "ns";
  const char* unit = ns ? " ms" : " positions";
  out << "staleness: " << all.stale_reads << " of " << reads.size() << " reads stale";
  if (reads.size()) {
    out << "; time p50 " << all.time.p50 << unit << ", p99 " << all.time.p99 << unit << ", max "
        << all.time.max << unit << "; versions p99 " << all.versions.p99 << ", max "
        << all.versions.max;
  }
  out << "; smallest Δ " << (ns ? static_cast<double>(delta) / 1e6 : static_cast<double>(delta))
      << unit << ", smallest k " << k;
  if (!unexplained.empty()) out << "; " << unexplained.size() << " reads unexplained";
  out << "\n";
  return out.str();
}

}  // namespace faultline
