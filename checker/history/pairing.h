#pragma once
// Pairing invocations with their completions, with Jepsen's rules:
// - each client process has at most one operation in flight;
// - `ok`: it happened; `fail`: it did not happen; `info`: unknown, and the
//   process should never invoke again (a new process id takes its place);
// - an invocation with no completion by the end of the history is unknown (`info`).
// Nemesis operations are not client operations; they are listed apart.

#include <cstddef>
#include <optional>
#include <vector>

#include "checker/history/history.h"

namespace faultline {

struct PairedOp {
  std::size_t invoke = 0;                 // position of the invocation in History::ops
  std::optional<std::size_t> completion;  // position of the completion, if any
  OpType outcome = OpType::kInfo;         // kOk, kFail or kInfo
  std::int64_t process = 0;
};

struct PairedHistory {
  std::vector<PairedOp> ops;          // client operations, in order of invocation
  std::vector<std::size_t> nemesis;   // positions of nemesis operations
  std::size_t reused_after_info = 0;  // invocations by a process after its `info`
};

// Throws InputError (naming the line) when a process invokes while an operation
// is in flight, or completes something it never invoked.
PairedHistory pair_operations(const History& history);

}  // namespace faultline
