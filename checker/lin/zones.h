#pragma once
// A polynomial linearizability check for a read/write register whose written values are
// distinct (Gibbons & Korach, "Testing shared memories", SIAM J. Comput. 1997; the
// "zones" of Golab, Li & Shah, PODC 2011), in O(n log n).
//
// With distinct values every read names the one write it saw, so the operations fall
// into clusters: a value's write (a virtual one before everything for the initial
// value) and the reads of that value. In any linearization a cluster is contiguous (its
// write, then its reads, before the next write), so a linearization is an order of
// clusters, and one exists iff
//   - no read of a value completes before that value's write is invoked, every read
//     names a written (or the initial) value, and
//   - the graph "cluster u must precede cluster v" is acyclic, where u must precede v
//     iff some operation of u completes before some operation of v is invoked, i.e.
//     iff min-completion(u) < max-invocation(v).
// The graph is implicit (quadratic in edges); Kahn's algorithm runs on it with two
// ordered sets: a cluster is a source iff its max-invocation is below the smallest
// min-completion of the other remaining clusters.
//
// Outcomes as elsewhere: an unknown-outcome write may take effect at any time after its
// invocation (its completion is +infinity) or never (if nobody read its value it
// constrains nothing: it may go last); an unknown-outcome read constrains nothing.

#include <optional>
#include <vector>

#include "checker/lin/search.h"

namespace faultline {

// The verdict for `ops` (sorted by call), or nullopt when this engine does not apply:
// an operation with no PartitionModel::register_access (a cas), a value written twice,
// or a write of the initial value. Then the caller searches instead. For kInvalid with
// `explain`, the outcome carries a culprit, the linearization of the clusters placed
// before the check got stuck, and the state the culprit met.
std::optional<SearchOutcome> check_distinct_register(const std::vector<SearchOp>& ops,
                                                     PartitionModel& model,
                                                     const SearchLimits& limits, bool explain);

}  // namespace faultline
