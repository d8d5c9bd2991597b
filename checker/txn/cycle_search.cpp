#include "checker/txn/cycle_search.h"

#include <algorithm>

#include "checker/txn/tarjan.h"

namespace faultline::txn {

std::string cycle_name(CycleClass cls, Variant variant) {
  static const char* const kNames[] = {"G0", "G1c", "G-single", "G-nonadjacent", "G2-item"};
  std::string name = kNames[static_cast<int>(cls)];
  if (variant == Variant::kProcess) name += "-process";
  if (variant == Variant::kRealtime) name += "-realtime";
  return name;
}

namespace {

constexpr std::uint32_t kUnseen = UINT32_MAX;

// The component as its own small graph (local ids), edges leaving it dropped.
struct LocalGraph {
  std::vector<std::uint32_t> nodes;  // local -> global
  std::vector<std::uint32_t> offsets, targets;
  std::vector<std::uint8_t> types;
  std::uint32_t txn_count = 0;  // global ids below this are txns

  LocalGraph(const DependencyGraph& g, const std::vector<std::uint32_t>& component)
      : nodes(component), txn_count(g.txn_count) {
    offsets.push_back(0);
    for (std::uint32_t v : nodes) {
      auto out = g.out(v);
      auto out_types = g.out_types(v);
      for (std::size_t i = 0; i < out.size(); ++i) {
        auto it = std::lower_bound(nodes.begin(), nodes.end(), out[i]);
        if (it == nodes.end() || *it != out[i]) continue;
        targets.push_back(static_cast<std::uint32_t>(it - nodes.begin()));
        types.push_back(out_types[i]);
      }
      offsets.push_back(static_cast<std::uint32_t>(targets.size()));
    }
  }
  std::uint32_t size() const { return static_cast<std::uint32_t>(nodes.size()); }
};

// Components of the subgraph keeping only edges whose type intersects `mask`.
std::vector<std::uint32_t> sub_components(const LocalGraph& g, std::uint8_t mask) {
  struct Adj {
    const LocalGraph& g;
    std::uint8_t mask;
    std::pair<std::uint64_t, std::uint64_t> range(std::uint32_t v) const {
      return {g.offsets[v], g.offsets[v + 1]};
    }
    std::uint32_t follow(std::uint64_t slot) const {
      return (g.types[slot] & mask) ? g.targets[slot] : UINT32_MAX;
    }
  };
  std::vector<std::uint32_t> component;
  tarjan(g.size(), Adj{g, mask}, component);
  return component;
}

enum class Rule : std::uint8_t { kPlain, kNonadjacent, kAdjacent };

struct Spec {
  std::uint8_t first;   // type of the first edge
  std::uint8_t rest;    // data types allowed after it
  std::uint8_t extras;  // order edges allowed
  std::uint8_t need;    // order edge type the cycle must use (0: none)
  Rule rule;
};

// BFS over (node, state). State bits: 1 = last edge was rw, 2 = rule flag (a later rw
// for kNonadjacent, two adjacent rw for kAdjacent), 4 = a needed order edge was used.
class Searcher {
 public:
  Searcher(const LocalGraph& g, const SearchLimits& limits, std::atomic<bool>& timed_out)
      : g_(g),
        limits_(limits),
        timed_out_(timed_out),
        prev_(g.size() * 8, kUnseen),
        label_(g.size() * 8, 0) {}

  enum class Result { kFound, kNone, kRejected, kCut };

  // Shortest cycle starting with u -> v (labelled spec.first) that satisfies spec.
  // `scc`: components of the subgraph the walk after the first edge moves in (edges of
  // spec.rest | spec.extras), in Tarjan's reverse topological order: a node whose id is
  // below u's cannot reach u there, so the search never enters it. Only states that could
  // never close are skipped; the result is what the unpruned search finds.
  Result find(std::uint32_t u, std::uint32_t v, const Spec& spec,
              const std::vector<std::uint32_t>& scc, std::vector<CycleStep>& out) {
    reset();
    scc_ = &scc;
    floor_ = scc[u];
    if (scc[v] < floor_) return Result::kNone;
    const std::uint32_t start = v * 8 + (spec.first == kRW ? 1 : 0);
    visit(start, kUnseen - 1, spec.first);
    for (std::size_t head = 0; head < queue_.size(); ++head) {
      if ((head & 1023) == 1023 && expired()) return Result::kCut;
      const std::uint32_t state = queue_[head];
      const std::uint32_t x = state / 8, s = state % 8;
      for (std::uint32_t i = g_.offsets[x]; i < g_.offsets[x + 1]; ++i) {
        const std::uint8_t m = g_.types[i];
        const std::uint32_t y = g_.targets[i];
        std::uint8_t label = 0;
        std::uint32_t ns = s & ~1u;
        if (m & spec.rest & (kWW | kWR)) {
          label = (m & spec.rest & kWW) ? kWW : kWR;
        } else if (m & spec.extras) {
          label = (m & spec.extras & spec.need) ? (m & spec.extras & spec.need) : (m & spec.extras);
          label = (label & kRealtime) ? kRealtime : kProcess;
          if (label & spec.need) ns |= 4;
        }
        if (label && try_step(state, y, ns, label, u, spec, out)) return Result::kFound;
        if ((m & spec.rest & kRW) && !(spec.rule == Rule::kNonadjacent && (s & 1))) {
          std::uint32_t rs = s | 1;
          if (spec.rule != Rule::kPlain && (spec.rule == Rule::kNonadjacent || (s & 1))) rs |= 2;
          if (try_step(state, y, rs, kRW, u, spec, out)) return Result::kFound;
        }
      }
    }
    return rejected_ ? Result::kRejected : Result::kNone;
  }

  std::size_t visits() const { return visits_; }

  bool expired() {
    if (timed_out_.load(std::memory_order_relaxed)) return true;
    if (std::chrono::steady_clock::now() < limits_.deadline) return false;
    timed_out_.store(true);
    return true;
  }

 private:
  void reset() {
    visits_ += queue_.size();
    for (std::uint32_t s : queue_) prev_[s] = kUnseen;
    queue_.clear();
    rejected_ = false;
  }
  void visit(std::uint32_t state, std::uint32_t from, std::uint8_t label) {
    prev_[state] = from;
    label_[state] = label;
    queue_.push_back(state);
  }
  bool closes(std::uint32_t s, const Spec& spec) const {
    if (spec.need && !(s & 4)) return false;
    switch (spec.rule) {
      case Rule::kPlain:
        return true;
      case Rule::kNonadjacent:
        return (s & 2) && !(s & 1);
      case Rule::kAdjacent:
        return (s & 2) || (s & 1);
    }
    return false;
  }
  bool try_step(std::uint32_t from, std::uint32_t y, std::uint32_t ns, std::uint8_t label,
                std::uint32_t u, const Spec& spec, std::vector<CycleStep>& out) {
    if (y == u && closes(ns, spec)) {
      if (build(from, u, label, spec, out)) return true;
      rejected_ = true;
      return false;
    }
    if (y == u) return false;               // a simple cycle meets u only at its end
    if ((*scc_)[y] < floor_) return false;  // cannot reach u
    const std::uint32_t state = y * 8 + ns;
    if (prev_[state] != kUnseen) return false;
    visit(state, from, label);
    return false;
  }
  // Walks the parents back to the first edge; false if the walk repeats a node.
  bool build(std::uint32_t last, std::uint32_t u, std::uint8_t closing, const Spec& spec,
             std::vector<CycleStep>& out) {
    std::vector<std::pair<std::uint32_t, std::uint8_t>> walk;  // (local node, label into it)
    walk.emplace_back(u, closing);
    for (std::uint32_t s = last; s != kUnseen - 1; s = prev_[s])
      walk.emplace_back(s / 8, label_[s]);
    walk.emplace_back(u, 0);
    std::reverse(walk.begin(), walk.end());
    // walk: u, v(first), ..., u(closing); labels are of the edge into each node.
    std::vector<std::uint32_t> seen;
    for (std::size_t i = 0; i + 1 < walk.size(); ++i) seen.push_back(walk[i].first);
    std::sort(seen.begin(), seen.end());
    if (std::adjacent_find(seen.begin(), seen.end()) != seen.end()) return false;
    (void)spec;
    out.clear();
    // Fold time nodes: consecutive txns joined through them become one realtime step.
    std::uint32_t from = g_.nodes[walk[0].first];
    bool through_time = false;
    for (std::size_t i = 1; i < walk.size(); ++i) {
      const std::uint32_t node = g_.nodes[walk[i].first];
      if (node >= g_.txn_count) {
        through_time = true;
        continue;
      }
      out.push_back(CycleStep{from, node, through_time ? std::uint8_t{kRealtime} : walk[i].second});
      from = node;
      through_time = false;
    }
    return true;
  }

  const LocalGraph& g_;
  const SearchLimits& limits_;
  std::atomic<bool>& timed_out_;
  std::vector<std::uint32_t> prev_;
  std::vector<std::uint8_t> label_;
  std::vector<std::uint32_t> queue_;
  bool rejected_ = false;
  std::size_t visits_ = 0;
  const std::vector<std::uint32_t>* scc_ = nullptr;
  std::uint32_t floor_ = 0;
};

// Class of an arbitrary cycle, from its labels.
void classify(Cycle& c) {
  int rw = 0, wr = 0;
  bool adjacent = false, process = false, realtime = false;
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    const std::uint8_t t = c.steps[i].type;
    rw += t == kRW;
    wr += t == kWR;
    process |= t == kProcess;
    realtime |= t == kRealtime;
    if (t == kRW && c.steps[(i + 1) % c.steps.size()].type == kRW) adjacent = true;
  }
  c.cls = rw == 0   ? (wr ? CycleClass::kG1c : CycleClass::kG0)
          : rw == 1 ? CycleClass::kGSingle
                    : (adjacent ? CycleClass::kG2Item : CycleClass::kGNonadjacent);
  c.variant = realtime ? Variant::kRealtime : process ? Variant::kProcess : Variant::kNone;
}

}  // namespace

ComponentFindings search_component(const DependencyGraph& graph,
                                   const std::vector<std::uint32_t>& nodes,
                                   const SearchLimits& limits, std::atomic<bool>& timed_out) {
  ComponentFindings f;
  LocalGraph g(graph, nodes);
  Searcher searcher(g, limits, timed_out);
  auto found_at_or_below = [&](int cls, int variant) {
    for (int v = 0; v <= variant; ++v) {
      if (f.status[cls][v] == SearchStatus::kFound) return true;
    }
    return false;
  };
  auto any_found_at_or_below = [&](int variant) {
    for (int c = 0; c < kCycleClasses; ++c) {
      if (found_at_or_below(c, variant)) return true;
    }
    return false;
  };
  const std::uint8_t extras_of[kVariants] = {0, kProcess, kProcess | kRealtime};
  const std::uint8_t need_of[kVariants] = {0, kProcess, kRealtime};
  for (int variant = 0; variant < kVariants; ++variant) {
    // Without process edges (processes unknown) the -realtime variant is still searched.
    if ((variant == 1 && !limits.process) || (variant == 2 && !limits.realtime)) continue;
    const std::uint8_t extras = extras_of[variant];
    const auto ww = sub_components(g, kWW | extras);
    const auto wwr = sub_components(g, kWW | kWR | extras);
    const auto all = sub_components(g, kDataEdges | extras);
    const Spec specs[kCycleClasses] = {
        {kWW, kWW, extras, need_of[variant], Rule::kPlain},
        {kWR, kWW | kWR, extras, need_of[variant], Rule::kPlain},
        {kRW, kWW | kWR, extras, need_of[variant], Rule::kPlain},
        {kRW, kDataEdges, extras, need_of[variant], Rule::kNonadjacent},
        {kRW, kDataEdges, extras, need_of[variant], Rule::kAdjacent},
    };
    // A G0 (G1c) cycle through an edge exists iff its ends share a component of the ww
    // (ww+wr) subgraph; the rw-based classes only know their ends share a data component.
    const std::vector<std::uint32_t>* scc_of[kCycleClasses] = {&ww, &wwr, &all, &all, &all};
    // The subgraph each class's walk moves in after its first edge (spec.rest | extras).
    const std::vector<std::uint32_t>* walk_scc[kCycleClasses] = {&ww, &wwr, &wwr, &all, &all};
    for (int cls = 0; cls < kCycleClasses; ++cls) {
      if (found_at_or_below(cls, variant)) continue;
      const Spec& spec = specs[cls];
      const auto& scc = *scc_of[cls];
      std::size_t tried = 0;
      const std::size_t visits_before = searcher.visits();
      bool exhaustive = true;
      Cycle best;
      for (std::uint32_t u = 0; u < g.size() && exhaustive; ++u) {
        for (std::uint32_t i = g.offsets[u]; i < g.offsets[u + 1]; ++i) {
          const std::uint32_t v = g.targets[i];
          if (!(g.types[i] & spec.first) || scc[u] != scc[v]) continue;
          if (tried++ == limits.max_starts || searcher.expired() ||
              searcher.visits() - visits_before > limits.max_visits) {
            exhaustive = false;
            break;
          }
          std::vector<CycleStep> steps;
          auto r = searcher.find(u, v, spec, *walk_scc[cls], steps);
          if (r == Searcher::Result::kRejected || r == Searcher::Result::kCut) exhaustive = false;
          if (r == Searcher::Result::kFound &&
              (best.steps.empty() || steps.size() < best.steps.size())) {
            best.steps = std::move(steps);
            if (best.steps.size() == 2) break;
          }
        }
        if (best.steps.size() == 2) break;
      }
      if (!best.steps.empty()) {
        best.cls = static_cast<CycleClass>(cls);
        best.variant = static_cast<Variant>(variant);
        f.status[cls][variant] = SearchStatus::kFound;
        f.cycles.push_back(std::move(best));
      } else {
        f.status[cls][variant] = exhaustive ? SearchStatus::kAbsent : SearchStatus::kUnknown;
      }
    }
    // Any cycle at all under these edge types? Decided exactly; if the searches above
    // missed it (cut or rejected walks), a plain BFS finds one and classifies it.
    if (any_found_at_or_below(variant)) continue;
    for (std::uint32_t u = 0; u < g.size(); ++u) {
      bool done = false;
      for (std::uint32_t i = g.offsets[u]; i < g.offsets[u + 1] && !done; ++i) {
        const std::uint32_t v = g.targets[i];
        if (!(g.types[i] & kDataEdges) || all[u] != all[v]) continue;
        const std::uint8_t first = (g.types[i] & kWW) ? kWW : (g.types[i] & kWR) ? kWR : kRW;
        Spec any{first, kDataEdges, extras, 0, Rule::kPlain};
        Cycle c;
        if (searcher.find(u, v, any, all, c.steps) != Searcher::Result::kFound) continue;
        classify(c);
        auto& st = f.status[static_cast<int>(c.cls)][static_cast<int>(c.variant)];
        if (st != SearchStatus::kFound) {
          st = SearchStatus::kFound;
          f.cycles.push_back(std::move(c));
        }
        done = true;
      }
      if (done) break;
    }
  }
  return f;
}

}  // namespace faultline::txn
