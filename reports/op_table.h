#pragma once
// OpTable: a history's client operations as columns, the shape every plot and the
// timeline of a report draw from. One row per invocation, in invocation order; the
// nemesis' operations are kept apart (fault_periods.h).
//
// Times are microseconds as recorded (Operation::time is ns since the test start).
// A history without times (Porcupine's logs) uses positions instead: an operation
// spans from its invocation's position to its completion's, and `unit` says "position".

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "checker/history/history.h"
#include "checker/history/pairing.h"

namespace faultline {

enum class OpOutcome : std::uint8_t { kOk = 0, kFail = 1, kInfo = 2 };

struct OpTable {
  std::string unit = "us";          // "us" or "position"
  std::vector<double> start;        // invocation time
  std::vector<float> latency;       // completion - invocation; -1 when never completed
  std::vector<std::uint32_t> lane;  // index into `lanes`
  std::vector<std::uint32_t> f;     // index into `fs`
  std::vector<OpOutcome> outcome;
  std::vector<std::uint32_t> text;      // index into `texts`: "read nil → 3", "cas [1 2]"...
  std::vector<std::int64_t> lanes;      // process id of each lane, ascending
  std::vector<std::string> lane_nodes;  // node of the lane's first operation, or ""
  // What a reader calls the lane: "p3" for a client's process, "final n1" for one of the
  // reads after the faults ("final": true on its first invocation).
  std::vector<std::string> lane_labels;
  std::vector<std::string> fs;
  std::vector<std::string> texts;
  double begin = 0, end = 0;  // span of the whole history (nemesis included)
  // History index (of an invocation or completion) -> row, for the indices asked for.
  std::unordered_map<std::int64_t, std::uint32_t> rows_by_index;

  std::size_t size() const { return start.size(); }
};

// Builds the table. `wanted_indices` are Operation::index values (e.g. named in a
// results document) whose rows go into rows_by_index. Throws InputError when the
// history does not pair (see pairing.h).
OpTable build_op_table(const History& history, const PairedHistory& paired,
                       const std::unordered_set<std::int64_t>& wanted_indices);

// Time of `op` in the table's unit (`position` is the op's place in the history).
double op_time(const OpTable& table, const Operation& op, std::size_t position);

// The table as the report's embedded "ops" object (columns.h encodings).
boost::json::object op_table_to_json(const OpTable& table);

// A short one-line text of an operation's value(s), at most `max_bytes` long.
std::string operation_text(const Operation& invoke, const Operation* completion,
                           std::size_t max_bytes = 120);

}  // namespace faultline
