#include "checker/history/history_stats.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "checker/history/pairing.h"

namespace faultline {

HistoryStats compute_stats(const History& history) {
  HistoryStats stats;
  stats.records = history.ops.size();
  PairedHistory paired = pair_operations(history);
  stats.client_operations = paired.ops.size();
  stats.nemesis_operations = paired.nemesis.size();
  stats.reused_after_info = paired.reused_after_info;

  std::unordered_set<std::int64_t> processes;
  std::set<std::string> keys;
  std::optional<std::int64_t> first_time, last_time;
  for (const Operation& op : history.ops) {
    if (op.time != kNoTime) {
      first_time = std::min(first_time.value_or(op.time), op.time);
      last_time = std::max(last_time.value_or(op.time), op.time);
    }
    if (op.is_nemesis()) continue;
    processes.insert(op.process);
    if (op.key) keys.insert(boost::json::serialize(*op.key));
    OpCounts& counts = stats.by_f[op.f];
    switch (op.type) {
      case OpType::kInvoke:
        ++counts.invoke;
        break;
      case OpType::kOk:
        ++counts.ok;
        break;
      case OpType::kFail:
        ++counts.fail;
        break;
      case OpType::kInfo:
        ++counts.info;
        break;
    }
  }
  stats.client_processes = processes.size();
  if (first_time) stats.time_span_ns = *last_time - *first_time;
  if (!keys.empty()) stats.keys = keys.size();

  // In flight: from an invocation to its completion; never-completed ones to the end.
  std::vector<int> delta(history.ops.size() + 1, 0);
  for (const PairedOp& pair : paired.ops) {
    ++delta[pair.invoke];
    if (pair.completion) {
      --delta[*pair.completion];
    } else {
      ++stats.by_f[history.ops[pair.invoke].f].unknown;
    }
    if (pair.outcome == OpType::kInfo) ++stats.unknown_outcomes;
  }
  long in_flight = 0;
  for (int d : delta) {
    in_flight += d;
    stats.max_concurrency = std::max(stats.max_concurrency, static_cast<std::size_t>(in_flight));
  }
  for (const auto& [f, c] : stats.by_f) {
    stats.total.invoke += c.invoke;
    stats.total.ok += c.ok;
    stats.total.fail += c.fail;
    stats.total.info += c.info;
    stats.total.unknown += c.unknown;
  }
  return stats;
}

boost::json::object to_json(const HistoryStats& stats) {
  auto counts_json = [](const OpCounts& c) {
    return boost::json::object{{"invoke", c.invoke},
                               {"ok", c.ok},
                               {"fail", c.fail},
                               {"info", c.info},
                               {"unknown", c.unknown}};
  };
  boost::json::object by_f;
  for (const auto& [f, c] : stats.by_f) by_f[f] = counts_json(c);
  boost::json::object out;
  out["records"] = stats.records;
  out["client_operations"] = stats.client_operations;
  out["by_f"] = std::move(by_f);
  out["total"] = counts_json(stats.total);
  out["client_processes"] = stats.client_processes;
  out["nemesis_operations"] = stats.nemesis_operations;
  out["max_concurrency"] = stats.max_concurrency;
  out["unknown_outcomes"] = stats.unknown_outcomes;
  out["reused_after_info"] = stats.reused_after_info;
  out["time_span_ns"] = stats.time_span_ns ? boost::json::value(*stats.time_span_ns) : nullptr;
  out["keys"] = stats.keys ? boost::json::value(*stats.keys) : nullptr;
  return out;
}

}  // namespace faultline
