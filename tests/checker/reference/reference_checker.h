#pragma once
// A slow, obviously correct linearizability checker: the yardstick the real engine
// (checker/lin) is compared against on many small random histories.
//
// It shares no code with the engine: its own pairing of invocations and completions,
// its own tiny model of every data type, and a plain depth-first search over every
// linear order consistent with real-time order, times every subset of unknown-outcome
// operations that took effect. The only refinement is a memo of (linearized set, model
// state) pairs already known to lead nowhere: the rest of the search depends on nothing
// else, so skipping them cannot change the answer. Meant for histories of ~10 operations.
//
// Semantics (issue 3):
// - `ok`: took effect once, between its invocation and its completion;
// - `fail`: never took effect (dropped);
// - `info` or never completed: may take effect at any time after its invocation, or
//   never; its result is unknown, so a read of that kind constrains nothing;
// - operation A precedes B in real time iff A's completion comes before B's invocation
//   in the history's order (positions, not the `time` field);
// - operations with a `key` act on independent objects, one per key; the reference does
//   NOT split by key: it searches the product object, which is what splitting must equal.

#include <boost/json.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "checker/history/history.h"

namespace faultline::reference {

// The models: "register", "cas-register", "mutex", "set", "fifo-queue",
// "unordered-queue", "kv", "multi-register".
bool is_reference_model(std::string_view model);

struct ReferenceOptions {
  // Initial value of every register (register, cas-register, multi-register, kv);
  // nullopt: nil, and "" for kv.
  std::optional<boost::json::value> initial;
  bool memoize = true;  // off: the bare search (only for cross-checking the memo)
};

struct ReferenceResult {
  bool linearizable = false;
  std::size_t nodes = 0;  // search nodes visited
};

// Throws std::invalid_argument for an unknown model, an operation the model does not
// know, or a history that cannot be paired.
ReferenceResult reference_check(const History& history, std::string_view model,
                                const ReferenceOptions& options = {});

}  // namespace faultline::reference
