#pragma once
// Tarjan's strongly connected components, iterative (explicit stack), over any graph
// in compressed rows. `Adj` provides
//   std::pair<std::uint64_t, std::uint64_t> range(std::uint32_t node)  // its edge slots
//   std::uint32_t follow(std::uint64_t slot)  // the target, or UINT32_MAX to skip the edge
// The result maps every node to a component id; ids are dense, in reverse topological order.

#include <cstdint>
#include <utility>
#include <vector>

namespace faultline::txn {

template <class Adj>
std::uint32_t tarjan(std::uint32_t n, const Adj& adj, std::vector<std::uint32_t>& component) {
  constexpr std::uint32_t kUnvisited = UINT32_MAX;
  std::vector<std::uint32_t> index(n, kUnvisited), low(n, 0);
  std::vector<std::uint32_t> stack;
  struct Frame {
    std::uint32_t node;
    std::uint64_t slot, end;
  };
  std::vector<Frame> calls;
  component.assign(n, kUnvisited);
  std::uint32_t next_index = 0, components = 0;
  for (std::uint32_t root = 0; root < n; ++root) {
    if (index[root] != kUnvisited) continue;
    auto enter = [&](std::uint32_t v) {
      index[v] = low[v] = next_index++;
      stack.push_back(v);
      auto [b, e] = adj.range(v);
      calls.push_back(Frame{v, b, e});
    };
    enter(root);
    while (!calls.empty()) {
      Frame& f = calls.back();
      if (f.slot < f.end) {
        const std::uint32_t w = adj.follow(f.slot++);
        if (w == UINT32_MAX) continue;
        if (index[w] == kUnvisited) {
          enter(w);  // invalidates f
        } else if (component[w] == kUnvisited && index[w] < low[f.node]) {
          low[f.node] = index[w];  // w is on the stack
        }
        continue;
      }
      const std::uint32_t v = f.node;
      calls.pop_back();
      if (!calls.empty() && low[v] < low[calls.back().node]) low[calls.back().node] = low[v];
      if (low[v] != index[v]) continue;
      std::uint32_t w;
      do {
        w = stack.back();
        stack.pop_back();
        component[w] = components;
      } while (w != v);
      ++components;
    }
  }
  return components;
}

}  // namespace faultline::txn
