#pragma once
// OnlinePairing: pair_operations' rules (checker/history/pairing.h) applied one operation at a
// time, for the online data-type checks: each client process has at most one operation in
// flight, and a completion needs its invocation. What pair_operations refuses (InputError
// naming the line) is refused here with the same message, so an online check and the offline
// one take the same histories.

#include <cstdint>
#include <string>
#include <unordered_map>

#include "checker/history/operation.h"

namespace faultline {

class OnlinePairing {
 public:
  explicit OnlinePairing(std::string source) : source_(std::move(source)) {}

  // For a client invocation: keeps it and returns nullptr. For a completion: returns its
  // invocation, valid until the next call. Nemesis operations: nullptr. Throws InputError.
  const Operation* pair(const Operation& op);
  // Invocations still open, by process.
  const std::unordered_map<std::int64_t, Operation>& open() const { return open_; }
  std::size_t open_bytes() const { return open_bytes_; }
  void clear();

 private:
  std::string source_;
  std::unordered_map<std::int64_t, Operation> open_;
  std::size_t open_bytes_ = 0;
  Operation completed_;  // the invocation returned last
};

}  // namespace faultline
