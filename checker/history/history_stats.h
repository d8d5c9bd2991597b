#pragma once
// HistoryStats: what a history holds, at a glance (`faultline history stats`).

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "checker/history/history.h"

namespace faultline {

struct OpCounts {
  std::size_t invoke = 0, ok = 0, fail = 0, info = 0;
  std::size_t unknown = 0;  // invocations never completed
};

struct HistoryStats {
  std::size_t records = 0;                   // lines/maps read, invocations and completions
  std::size_t client_operations = 0;         // client invocations (paired with their completion)
  std::map<std::string, OpCounts> by_f;      // client operations by f
  OpCounts total;                            // the sum over by_f
  std::size_t client_processes = 0;          // distinct client process ids
  std::size_t nemesis_operations = 0;        // nemesis records
  std::size_t max_concurrency = 0;           // most client operations in flight at once
  std::size_t unknown_outcomes = 0;          // `info` completions + invocations never completed
  std::size_t reused_after_info = 0;         // invocations by a process after its `info`
  std::optional<std::int64_t> time_span_ns;  // last time - first time, if times were recorded
  std::optional<std::size_t> keys;           // distinct keys, if any operation has one
};

// Pairs the history (pair_operations, which throws InputError on impossible pairings)
// and counts.
HistoryStats compute_stats(const History& history);

boost::json::object to_json(const HistoryStats& stats);

}  // namespace faultline
