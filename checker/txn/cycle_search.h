#pragma once
// Cycle search inside one strongly connected component of the dependency graph.
//
// Cycles are classified as in Adya's thesis with Elle's refinements, by their edges:
//   G0            only ww edges
//   G1c           ww and wr edges, at least one wr
//   G-single      exactly one rw edge
//   G-nonadjacent two or more rw edges, no two of them adjacent
//   G2-item       two or more rw edges, some two adjacent
// and a variant: "-process" when the cycle needs process-order edges, "-realtime" when
// it needs real-time edges. For each class the search runs a BFS over (node, state) from
// every candidate first edge (up to a limit) and keeps the shortest cycle found.
// Whether G0, G1c (and any cycle at all) exist is decided exactly, by components of the
// subgraph of the allowed edge types; the other classes are decided by trying every
// candidate first edge, and are `unknown` when a limit cut that short or a shortest
// closed walk found was not a simple cycle.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/txn/graph.h"

namespace faultline::txn {

enum class CycleClass : std::uint8_t { kG0, kG1c, kGSingle, kGNonadjacent, kG2Item };
enum class Variant : std::uint8_t { kNone, kProcess, kRealtime };
inline constexpr int kCycleClasses = 5;
inline constexpr int kVariants = 3;
std::string cycle_name(CycleClass cls, Variant variant);  // "G-single-realtime"

// One step of a cycle between transactions (time nodes already folded into a
// realtime step); `type` is a single EdgeBits bit.
struct CycleStep {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  std::uint8_t type = 0;
};

struct Cycle {
  CycleClass cls = CycleClass::kG0;
  Variant variant = Variant::kNone;
  std::vector<CycleStep> steps;
};

enum class SearchStatus : std::uint8_t { kAbsent, kFound, kUnknown };

struct ComponentFindings {
  std::vector<Cycle> cycles;  // at most one per (class, variant)
  // Per (class, variant): kAbsent, kFound, or kUnknown when the search was cut.
  SearchStatus status[kCycleClasses][kVariants] = {};
};

struct SearchLimits {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::size_t max_starts = 100000;   // first edges tried per class and component
  std::size_t max_visits = 4000000;  // BFS states visited per class and component
  bool process = true;               // the graph holds process edges: search -process variants
  bool realtime = true;              // ... realtime edges: search -realtime variants
};

// `nodes`: one cyclic component of `g`, sorted. `timed_out` is set when the deadline
// passed (the findings then hold what was found so far).
ComponentFindings search_component(const DependencyGraph& g,
                                   const std::vector<std::uint32_t>& nodes,
                                   const SearchLimits& limits, std::atomic<bool>& timed_out);

}  // namespace faultline::txn
