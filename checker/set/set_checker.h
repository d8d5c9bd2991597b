#pragma once
// check_set: did a grow-only set keep every element it acknowledged, and did reads see them?
//
// The history holds `add` operations (value: one integer element, unique per add) and `read`
// operations (completion value: the array of elements present). Reads whose invocation
// carries `"final": true` are the final reads, taken on every node after the faults healed;
// without any, the last successful read stands in for them.
//
// An element is *known* from the completion of its `ok` add, or from the first completed read
// that saw it, whichever comes first. Then (after Jepsen's set-full checker):
// - lost: known, but absent from some final read;
// - unexpected: seen by a read although never added (or its add definitely failed);
// - stale: known before a read was invoked, absent from that read, yet present in the final
//   reads (the read returned an old state: fine for serializable reads, not linearizable);
// - recovered: its add's outcome was unknown (`info`), and it is present in every final read.
// - duplicated: listed more than once by one read ([100 100 110]). A set holds each element
//   once, so such a read is no state of a set: an anomaly, as Knossos' and Porcupine's set
//   models treat it (the read is counted once per element for everything else).
// Valid when nothing is lost, unexpected, duplicated or (with `stale_is_anomaly`) stale;
// unknown when no final read succeeded.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/history/history.h"
#include "checker/result.h"

namespace faultline {

struct SetCheckOptions {
  bool stale_is_anomaly = true;   // reads were meant to be linearizable
  std::size_t max_examples = 10;  // examples kept per kind of anomaly
};

// One read missing an element it should have seen.
struct StaleObservation {
  std::int64_t element = 0;
  std::int64_t read_index = 0;   // Operation::index of the read's invocation
  std::int64_t known_index = 0;  // index of the completion that made the element known
  std::int64_t process = 0;
  std::optional<std::string> node;
};

struct SetCheckResult {
  Verdict verdict = Verdict::kUnknown;
  std::string reason;  // why unknown, when it is
  std::size_t attempted = 0, acknowledged = 0, failed = 0, unknown = 0;
  std::size_t reads = 0, final_reads = 0;
  std::vector<std::int64_t> lost, unexpected, stale, recovered;  // sorted, all of them
  std::vector<std::int64_t> duplicated;              // sorted: elements some read listed twice
  std::size_t duplicate_reads = 0;                   // reads listing an element more than once
  std::optional<std::int64_t> first_duplicate_read;  // Operation::index of the first one
  std::vector<StaleObservation> stale_examples;      // up to max_examples
  std::size_t stale_reads = 0;                       // reads missing a known element

  // Part of the results document ("checker": "set"; counts, elements capped at 100 each).
  boost::json::object to_json() const;
  std::string summary() const;
};

// Throws InputError (file:line) for an add whose value is not an integer, or a read whose
// value is not an array of integers.
SetCheckResult check_set(const History& history, const SetCheckOptions& options = {});

}  // namespace faultline
