#pragma once
// From a history to search problems: pairing invocations with completions, dropping
// what constrains nothing (fails, reads of unknown result, unobservable unknown writes),
// splitting by key (P-compositionality, Horn & Kroening 2015) and compiling each
// partition's operations into its model.

#include <memory>
#include <optional>
#include <vector>

#include "checker/history/pairing.h"
#include "checker/lin/model.h"
#include "checker/lin/search.h"

namespace faultline {

struct PartitionInput {
  std::optional<boost::json::value> key;  // nullopt: unkeyed operations, or the whole history
  std::vector<std::size_t> paired;        // indexes into PairedHistory::ops, not `fail`
};

// Groups the client operations by key (or all in one when !by_key), in order of first
// appearance of each key. `parallel`: with tbb::parallel_for, in the caller's task arena.
std::vector<PartitionInput> split_partitions(const History& history, const PairedHistory& paired,
                                             bool by_key, bool parallel = false);

struct CompiledPartition {
  std::unique_ptr<PartitionModel> model;
  std::vector<SearchOp> ops;  // sorted by call
  std::size_t known = 0;      // operations with a known outcome
};

// Compiles `input` into a model built by `factory` (a KeyedModel over it when `keyed`).
// Throws InputError naming the operation's line when the model refuses an operation.
CompiledPartition compile_partition(const History& history, const PairedHistory& paired,
                                    const PartitionInput& input, ModelFactory factory,
                                    const ModelConfig& config, bool keyed);

}  // namespace faultline
