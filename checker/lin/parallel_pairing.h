#pragma once
// pair_operations (checker/history/pairing.h) in parallel, for large histories: each
// chunk of the history pairs what it can on its own, then one serial pass stitches the
// operations left open across chunk boundaries. Same result as pair_operations; on any
// protocol violation it falls back to pair_operations, which throws the usual error
// (naming the first offending line).

#include <cstddef>

#include "checker/history/pairing.h"

namespace faultline {

// Runs with tbb::parallel_for in the caller's task arena. Histories of fewer than two
// chunks are paired serially.
PairedHistory pair_operations_in_parallel(const History& history, std::size_t chunk_ops = 1 << 16);

}  // namespace faultline
