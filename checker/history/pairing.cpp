#include "checker/history/pairing.h"

#include <string>
#include <unordered_map>

namespace faultline {
namespace {

struct ProcessState {
  std::optional<std::size_t> pending;  // position in PairedHistory::ops
  std::optional<std::size_t> crashed_line;  // line of the `info` that retired it
};

}  // namespace

PairedHistory pair_operations(const History& history) {
  PairedHistory paired;
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
    ProcessState& state = processes[op.process];
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
