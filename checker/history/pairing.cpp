#include "checker/history/pairing.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

namespace faultline {
namespace {

struct ProcessState {
  std::optional<std::size_t> pending;       // position in PairedHistory::ops
  std::optional<std::size_t> crashed_line;  // line of the `info` that retired it
};

}  // namespace

PairedHistory pair_operations(const History& history) {
  PairedHistory paired;
  paired.ops.reserve(history.ops.size() / 2 + 1);
  // Process ids are usually small and dense: a vector for those, a map for the rest.
  std::vector<ProcessState> dense(std::min<std::size_t>(history.ops.size(), 1 << 16));
  std::unordered_map<std::int64_t, ProcessState> processes;
  for (std::size_t i = 0; i < history.ops.size(); ++i) {
    const Operation& op = history.ops[i];
    if (op.is_nemesis()) {
      paired.nemesis.push_back(i);
      continue;
    }
    auto fail = [&](const std::string& problem) {
      return InputError(history.source, op.line, 1,
                        "process " + std::to_string(op.process) + " " + problem);
    };
    ProcessState& state = op.process >= 0 && static_cast<std::uint64_t>(op.process) < dense.size()
                              ? dense[static_cast<std::size_t>(op.process)]
                              : processes[op.process];
    if (op.is_invoke()) {
      if (state.pending) {
        const Operation& open = history.ops[paired.ops[*state.pending].invoke];
        throw fail("invokes " + op.f + " while its " + open.f + " from line " +
                   std::to_string(open.line) + " has not completed");
      }
      // Jepsen never reuses a process after `info`; hand-written histories sometimes
      // do. That is harmless to every checker (the unknown operation stays open), so
      // it is counted, not refused.
      if (state.crashed_line) ++paired.reused_after_info;
      state.pending = paired.ops.size();
      paired.ops.push_back(PairedOp{i, std::nullopt, OpType::kInfo, op.process});
      continue;
    }
    if (!state.pending) {
      throw fail("completes " + op.f + " (" + std::string(to_string(op.type)) +
                 ") without a pending invocation");
    }
    PairedOp& pair = paired.ops[*state.pending];
    pair.completion = i;
    pair.outcome = op.type;
    state.pending.reset();
    if (op.type == OpType::kInfo) state.crashed_line = op.line;
  }
  return paired;
}

}  // namespace faultline
