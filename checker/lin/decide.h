#pragma once
// Deciding one partition: compile it, pick the cheapest sound engine (the polynomial
// register check when it applies, else the search), explain it when invalid.
//
// A whole keyed history (--no-partition) is first searched as one map from keys to
// model instances, for a bounded number of states. Past that bound it is decided by
// locality instead: KeyedModel's instances are independent objects and every operation
// acts on exactly one of them, so the map is linearizable iff each key's sub-history is
// (Herlihy & Wing 1990, Theorem 1; P-compositionality, Horn & Kroening 2015). The verdict
// is the whole map's; an explanation is that of the offending key, its operations named
// with their key. The result's engine is then "by-key".

#include <atomic>
#include <chrono>

#include "checker/lin/check.h"
#include "checker/lin/partition.h"

namespace faultline {

struct DecideContext {
  const History& history;
  const PairedHistory& paired;
  ModelFactory factory;
  const ModelConfig& config;
  const CheckOptions& options;
  MemoryBudget& budget;
  std::atomic<bool>& stop;  // set on the first invalid partition (unless all_keys)
  std::atomic<std::uint64_t>& explored;
  std::chrono::steady_clock::time_point deadline;
};

// Fills `out` (all but key and elapsed_ms). `keyed_whole`: `input` is a whole keyed
// history to be checked as one map.
void decide_partition(const DecideContext& ctx, const PartitionInput& input, bool keyed_whole,
                      PartitionResult& out);

}  // namespace faultline
