#pragma once
// OnlineCheck: a checker fed the history one operation at a time, in history order, while
// the run that writes it goes on. Each implementation decides early only what no later
// operation can change, and hands the rest to the same offline checker at the end, so the
// final verdict is the offline one (docs/online.md says what is decided when, and why).
//
// Not thread-safe: one thread feeds it (OnlineFeed puts it behind a queue and a thread).

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "checker/history/operation.h"
#include "checker/lin/check.h"

namespace faultline {

// The first proof that the history is invalid: no later operation can make it valid.
struct OnlineProof {
  std::string kind;    // e.g. "nonlinearizable-key", "wrong-total"
  std::string reason;  // one line for a person
  // Operation::index of the operation that proved it, as the offline checker and the report
  // name it: the invocation for a key's culprit and a counter or set read, the completion for
  // a bank read (check_bank's BankAnomaly::index).
  std::int64_t operation = -1;
  std::int64_t time = kNoTime;  // Operation::time of the last operation fed when it was proved
};

// What is known so far. "Units" are what the checker decides one by one: keys for
// linearizability, reads for the data-type checks.
struct OnlineState {
  std::string unit = "keys";
  std::size_t valid = 0, invalid = 0, unknown = 0;  // units decided
  std::size_t pending = 0;                          // units seen, not decided yet
  std::map<std::string, std::size_t> anomalies;     // kind -> count so far
  std::optional<OnlineProof> first_violation;
  std::uint64_t operations = 0;     // operations fed
  std::size_t held_operations = 0;  // operations kept for undecided units
  std::size_t held_bytes = 0;       // their approximate size
  std::size_t peak_held_bytes = 0;
  bool finished = false;
  std::string error;  // the checker refused an operation; checking stopped

  // invalid once anything is; after finish(): unknown or valid; before: unknown.
  Verdict verdict_so_far() const;
  boost::json::object to_json() const;
};

class OnlineCheck {
 public:
  virtual ~OnlineCheck() = default;
  // The next operation of the history. Throws InputError as the offline checker would for
  // an operation it cannot take.
  virtual void add(const Operation& op) = 0;
  // The history is complete: decides everything still pending.
  virtual void finish() = 0;
  virtual OnlineState state() const = 0;
};

// Approximate heap and inline size of an operation, for OnlineState::held_bytes.
std::size_t approximate_bytes(const Operation& op);

}  // namespace faultline
