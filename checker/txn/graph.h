#pragma once
// DependencyGraph: transactions as nodes, typed edges, in compressed sparse rows.
//
// Nodes [0, txns) are transactions. Real-time order is encoded without its quadratic
// closure: every ok completion gets a "time node" (ids from txns upward), chained in
// completion order; T -> time(T) at T's completion, and the latest time node before
// T's invocation -> T. A path T1 -> ... -> T2 through time nodes exists exactly when
// T1 completed before T2 was invoked, so cycles are preserved with O(n) edges.

#include <cstdint>
#include <span>
#include <vector>

#include "checker/txn/dependencies.h"
#include "checker/txn/txn_history.h"

namespace faultline::txn {

struct DependencyGraph {
  std::uint32_t txn_count = 0;
  std::uint32_t node_count = 0;        // txns + time nodes
  std::vector<std::uint64_t> offsets;  // node_count + 1
  std::vector<std::uint32_t> targets;
  std::vector<std::uint8_t> types;  // EdgeBits, OR-ed over parallel edges

  bool is_txn(std::uint32_t node) const { return node < txn_count; }
  std::span<const std::uint32_t> out(std::uint32_t n) const {
    return {targets.data() + offsets[n], targets.data() + offsets[n + 1]};
  }
  std::span<const std::uint8_t> out_types(std::uint32_t n) const {
    return {types.data() + offsets[n], types.data() + offsets[n + 1]};
  }
  std::size_t edge_count() const { return targets.size(); }
  std::size_t memory_bytes() const {
    return offsets.capacity() * 8 + targets.capacity() * 4 + types.capacity();
  }
};

// Appends process-order edges (consecutive committed-or-unknown txns of one process)
// and the real-time encoding above; returns the number of time nodes created.
std::uint32_t add_order_edges(const TxnHistory& h, std::vector<Edge>& edges, bool process,
                              bool realtime);

// Builds the graph over txn_count + time_nodes nodes; consumes `edges`.
DependencyGraph build_graph(std::uint32_t txn_count, std::uint32_t time_nodes,
                            std::vector<Edge>&& edges);

// Strongly connected components with more than one node (iterative Tarjan, so deep
// graphs cannot overflow the stack), each listed by node id.
std::vector<std::vector<std::uint32_t>> cyclic_components(const DependencyGraph& g);

}  // namespace faultline::txn
