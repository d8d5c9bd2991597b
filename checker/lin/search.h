#pragma once
// The Wing–Gong–Lowe linearizability search over one partition, with just-in-time
// linearization (Lowe 2017; the shape of Porcupine's checker.go): call and return
// entries in one doubly linked list; an operation is linearized by lifting its entries
// out of the list; reaching a return entry whose operation is not yet linearized means
// backtracking. Configurations (linearized set, state) already explored are skipped
// (SearchCache, Zobrist-hashed sets).
//
// Unknown-outcome operations have no return entry: they may be linearized at any point
// after their invocation, or never, and the search succeeds once every known operation
// is linearized. They are tried after known ones, and of several identical unknown
// operations only in order of invocation (any linearization using a later one can use
// an earlier one instead). A known read-only operation that can be linearized is
// linearized at once and never tried later (partial-order reduction: moving a read
// earlier, to a point where it is enabled and sees the same state, keeps a linearization
// valid), so backtracking over it goes straight on to the step before. An unknown
// operation must be followed at once by a non-blind operation on the same object: any
// linearization can be brought to that form (an unknown operation can move later at will,
// past operations on other objects, and is useless before a blind write or at the end).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "checker/lin/check.h"
#include "checker/lin/memory_budget.h"
#include "checker/lin/model.h"

namespace faultline {

inline constexpr std::size_t kNeverReturns = std::numeric_limits<std::size_t>::max();

struct SearchOp {
  std::size_t call = 0;             // position of the invocation (any increasing scale)
  std::size_t ret = kNeverReturns;  // position of the completion; kNeverReturns if unknown
  int model_op = 0;                 // id in the partition's model
  int same_as = -1;                 // earlier identical unknown operation, if any
  bool read_only = false;           // PartitionModel::read_only
  bool blind = false;               // PartitionModel::blind
  std::size_t object = 0;           // PartitionModel::object_of
  bool resets = true;               // PartitionModel::resets
  std::size_t paired = 0;           // index in PairedHistory::ops (for reports)
  bool known() const { return ret != kNeverReturns; }
};

struct SearchLimits {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  const std::atomic<bool>* cancel = nullptr;       // set: stop with reason "cancelled"
  MemoryBudget* memory = nullptr;                  // required
  std::uint64_t max_states = 0;                    // 0 = unbounded; else stop with reason "budget"
  std::atomic<std::uint64_t>* explored = nullptr;  // progress counter, optional
};

struct SearchOutcome {
  Verdict verdict = Verdict::kUnknown;
  std::string reason;        // for kUnknown: "time", "memory", "cancelled", "budget"
  std::uint64_t states = 0;  // configurations explored
  std::size_t peak_bytes = 0;
  // For kInvalid, when explain was asked (indexes into the ops given):
  int culprit = -1;                           // operation whose completion no linearization passed
  std::vector<int> longest_prefix;            // a linearization reaching furthest into the history
  std::vector<std::uint64_t> culprit_states;  // states in which the culprit was still pending
  // Optional: operations already known to be non-linearizable on their own (the others
  // dropped); explanations shrink from there.
  std::vector<int> core_hint;
};

// `ops` sorted by call. The model must hold the ops' model_op ids.
SearchOutcome search_linearization(const std::vector<SearchOp>& ops, PartitionModel& model,
                                   const SearchLimits& limits, bool explain);

}  // namespace faultline
