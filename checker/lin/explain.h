#pragma once
// Explanations of an invalid partition: which operation no linearization gets past,
// the states it met, the longest linearizable prefix, and a small core of operations
// that is non-linearizable on its own (found by shrinking: dropping operations, or
// making their outcome unknown, which can only add linearizations; every step is
// re-checked).

#include <chrono>
#include <functional>
#include <vector>

#include "checker/lin/check.h"
#include "checker/lin/partition.h"

namespace faultline {

// Re-checks a subset of a partition's operations while shrinking; true when it is
// still invalid (unknown counts as not invalid).
using StillInvalid =
    std::function<bool(const std::vector<SearchOp>& ops, const SearchLimits& limits)>;

// `outcome` is the invalid result of checking `part` with explain = true. Shrinking
// re-checks with `still_invalid` (default: the search) and stops at `deadline` (the core
// is then reported as not minimal).
Explanation explain_invalid(const History& history, const PairedHistory& paired,
                            CompiledPartition& part, const SearchOutcome& outcome,
                            MemoryBudget& budget, std::chrono::steady_clock::time_point deadline,
                            const StillInvalid& still_invalid = {});

ReportedOp report_op(const History& history, const PairedHistory& paired,
                     const PartitionModel& model, const SearchOp& op);

}  // namespace faultline
