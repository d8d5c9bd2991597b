#include "checker/online/online_pairing.h"

#include "checker/history/input_error.h"
#include "checker/online/online_check.h"

namespace faultline {

const Operation* OnlinePairing::pair(const Operation& op) {
  if (op.is_nemesis()) return nullptr;
  auto fail = [&](const std::string& problem) {
    return InputError(source_, op.line, 1, "process " + std::to_string(op.process) + " " + problem);
  };
  auto it = open_.find(op.process);
  if (op.is_invoke()) {
    if (it != open_.end()) {
      throw fail("invokes " + op.f + " while its " + it->second.f + " from line " +
                 std::to_string(it->second.line) + " has not completed");
    }
    open_bytes_ += approximate_bytes(op);
    open_.emplace(op.process, op);
    return nullptr;
  }
  if (it == open_.end()) {
    throw fail("completes " + op.f + " (" + std::string(to_string(op.type)) +
               ") without a pending invocation");
  }
  open_bytes_ -= approximate_bytes(it->second);
  completed_ = std::move(it->second);
  open_.erase(it);
  return &completed_;
}

void OnlinePairing::clear() {
  open_.clear();
  open_bytes_ = 0;
}

}  // namespace faultline
