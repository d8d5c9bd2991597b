#pragma once
// check_counter: did a counter keep every increment it acknowledged?
//
// The history holds `add` operations (value: the integer added, e.g. 1 for Redis INCR) and
// `read` operations (completion value: the counter). Reads whose invocation carries
// `"final": true` are the final reads, taken on every node after the faults healed.
//
// Bounds (after Jepsen's counter checker): a read must return at least the sum of the adds
// acknowledged (`ok`) before it was invoked, and at most the sum of the adds that may have
// happened (`ok` or `info`) invoked before it completed. A read below its lower bound lost
// acknowledged increments; a read above its upper bound counted increments nobody made.
// Valid when every read is within its bounds; unknown when no read succeeded.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/history/history.h"
#include "checker/result.h"

namespace faultline {

struct CounterCheckOptions {
  std::size_t max_examples = 10;  // out-of-bounds reads kept as examples
};

// A read outside its bounds.
struct CounterViolation {
  std::int64_t read_index = 0;  // Operation::index of the read's invocation
  std::int64_t process = 0;
  std::optional<std::string> node;
  bool final = false;
  std::int64_t value = 0, lower = 0, upper = 0;
};

struct CounterCheckResult {
  Verdict verdict = Verdict::kUnknown;
  std::string reason;  // why unknown, when it is
  std::size_t adds_ok = 0, adds_failed = 0, adds_unknown = 0;
  std::int64_t acknowledged_total = 0;  // sum of ok adds
  std::int64_t possible_total = 0;      // sum of ok and info adds
  std::size_t reads = 0, final_reads = 0;
  std::vector<std::int64_t> final_values;     // in history order
  std::size_t low_reads = 0, high_reads = 0;  // reads below / above their bounds
  // Acknowledged increments missing from the final reads: acknowledged_total minus the
  // smallest final value (0 when every final read holds them all, or there is none).
  std::int64_t lost_increments = 0;
  std::vector<CounterViolation> examples;  // up to max_examples, in history order

  // The results document ("checker": "counter").
  boost::json::object to_json() const;
  std::string summary() const;
};

// The rule for one read, shared with the online check (checker/online/online_counter.h):
// "lost increments" below `lower`, "more than was added" above `upper`, nullptr within.
const char* counter_read_problem(std::int64_t value, std::int64_t lower, std::int64_t upper);

// Throws InputError (file:line) for an add or a read whose value is not an integer.
CounterCheckResult check_counter(const History& history, const CounterCheckOptions& options = {});

}  // namespace faultline
