#include "checker/txn/graph.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <unordered_map>

#include "checker/txn/tarjan.h"

namespace faultline::txn {

std::uint32_t add_order_edges(const TxnHistory& h, std::vector<Edge>& edges, bool process,
                              bool realtime) {
  const auto n = static_cast<std::uint32_t>(h.txns.size());
  if (process) {
    std::unordered_map<std::int64_t, std::uint32_t> last;
    for (std::uint32_t t = 0; t < n; ++t) {
      if (h.txns[t].outcome == Outcome::kFail) continue;
      auto [it, added] = last.try_emplace(h.txns[t].process, t);
      if (!added) {
        edges.push_back(Edge{it->second, t, kProcess});
        it->second = t;
      }
    }
  }
  if (!realtime) return 0;
  std::vector<std::uint32_t> completed_at(h.history_ops, kNone);
  for (std::uint32_t t = 0; t < n; ++t) {
    if (h.txns[t].outcome == Outcome::kOk) completed_at[h.txns[t].complete_pos] = t;
  }
  std::uint32_t time_nodes = 0;
  std::uint32_t next_invoke = 0;
  std::uint32_t latest = kNone;
  for (std::size_t pos = 0; pos < h.history_ops; ++pos) {
    while (next_invoke < n && h.txns[next_invoke].invoke_pos == pos) {
      if (latest != kNone && h.txns[next_invoke].outcome != Outcome::kFail) {
        edges.push_back(Edge{latest, next_invoke, kRealtime});
      }
      ++next_invoke;
    }
    const std::uint32_t t = completed_at[pos];
    if (t == kNone) continue;
    const std::uint32_t node = n + time_nodes++;
    edges.push_back(Edge{t, node, kRealtime});
    if (latest != kNone) edges.push_back(Edge{latest, node, kRealtime});
    latest = node;
  }
  return time_nodes;
}

DependencyGraph build_graph(std::uint32_t txn_count, std::uint32_t time_nodes,
                            std::vector<Edge>&& edges) {
  DependencyGraph g;
  g.txn_count = txn_count;
  g.node_count = txn_count + time_nodes;
  const std::uint32_t n = g.node_count;
  std::vector<std::uint64_t> offsets(n + 1, 0);
  for (const Edge& e : edges) ++offsets[e.from + 1];
  for (std::uint32_t i = 0; i < n; ++i) offsets[i + 1] += offsets[i];
  // Packed (target << 8 | type): sorting a node's slice groups parallel edges.
  std::vector<std::uint64_t> packed(edges.size());
  {
    std::vector<std::uint64_t> cursor(offsets.begin(), offsets.end() - 1);
    for (const Edge& e : edges) packed[cursor[e.from]++] = (std::uint64_t{e.to} << 8) | e.type;
  }
  std::vector<Edge>().swap(edges);
  std::vector<std::uint64_t> degree(n + 1, 0);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, 8192), [&](auto range) {
    for (std::uint32_t v = range.begin(); v != range.end(); ++v) {
      auto* first = packed.data() + offsets[v];
      auto* last = packed.data() + offsets[v + 1];
      std::sort(first, last);
      std::uint64_t* out = first;
      for (auto* p = first; p != last; ++p) {
        if (out != first && ((out[-1] >> 8) == (*p >> 8))) {
          out[-1] |= *p & 0xff;
        } else {
          *out++ = *p;
        }
      }
      degree[v + 1] = static_cast<std::uint64_t>(out - first);
    }
  });
  g.offsets.assign(n + 1, 0);
  for (std::uint32_t i = 0; i < n; ++i) g.offsets[i + 1] = g.offsets[i] + degree[i + 1];
  g.targets.resize(g.offsets[n]);
  g.types.resize(g.offsets[n]);
  tbb::parallel_for(tbb::blocked_range<std::uint32_t>(0, n, 8192), [&](auto range) {
    for (std::uint32_t v = range.begin(); v != range.end(); ++v) {
      const std::uint64_t* src = packed.data() + offsets[v];
      for (std::uint64_t i = g.offsets[v]; i < g.offsets[v + 1]; ++i, ++src) {
        g.targets[i] = static_cast<std::uint32_t>(*src >> 8);
        g.types[i] = static_cast<std::uint8_t>(*src & 0xff);
      }
    }
  });
  return g;
}

std::vector<std::vector<std::uint32_t>> cyclic_components(const DependencyGraph& g) {
  struct Adj {
    const DependencyGraph& g;
    std::pair<std::uint64_t, std::uint64_t> range(std::uint32_t v) const {
      return {g.offsets[v], g.offsets[v + 1]};
    }
    std::uint32_t follow(std::uint64_t slot) const { return g.targets[slot]; }
  };
  std::vector<std::uint32_t> component;
  const std::uint32_t count = tarjan(g.node_count, Adj{g}, component);
  std::vector<std::uint32_t> size(count, 0);
  for (std::uint32_t c : component) ++size[c];
  std::vector<std::uint32_t> slot(count, kNone);
  std::vector<std::vector<std::uint32_t>> out;
  for (std::uint32_t v = 0; v < g.node_count; ++v) {
    const std::uint32_t c = component[v];
    if (size[c] < 2) continue;
    if (slot[c] == kNone) {
      slot[c] = static_cast<std::uint32_t>(out.size());
      out.emplace_back();
      out.back().reserve(size[c]);
    }
    out[slot[c]].push_back(v);
  }
  return out;
}

}  // namespace faultline::txn
