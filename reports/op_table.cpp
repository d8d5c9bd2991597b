#include "reports/op_table.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "checker/perf/fault_windows.h"
#include "reports/columns.h"

namespace faultline {
namespace {

// Cuts `text` to at most max_bytes without splitting a UTF-8 sequence.
void truncate_utf8(std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  text += "…";
}

bool all_timed(const History& history) {
  if (history.ops.empty()) return false;
  return std::all_of(history.ops.begin(), history.ops.end(),
                     [](const Operation& op) { return op.time != kNoTime; });
}

}  // namespace

std::string operation_text(const Operation& invoke, const Operation* completion,
                           std::size_t max_bytes) {
  std::string text = invoke.f;
  // Appends one piece at a time (GCC 12 warns falsely on chains of operator+).
  if (invoke.key) text.append(" [").append(boost::json::serialize(*invoke.key)).append("]");
  if (!invoke.value.is_null() || !completion || completion->value.is_null()) {
    text.append(" ").append(boost::json::serialize(invoke.value));
  }
  if (completion && !completion->value.is_null() && completion->value != invoke.value) {
    text.append(" → ").append(boost::json::serialize(completion->value));
  }
  if (completion && completion->error) {
    text.append(" (").append(boost::json::serialize(*completion->error)).append(")");
  }
  truncate_utf8(text, max_bytes);
  return text;
}

double op_time(const OpTable& table, const Operation& op, std::size_t position) {
  if (table.unit == "position") return static_cast<double>(position);
  return static_cast<double>(op.time) / 1000.0;
}

OpTable build_op_table(const History& history, const PairedHistory& paired,
                       const std::unordered_set<std::int64_t>& wanted_indices) {
  OpTable table;
  table.unit = all_timed(history) ? "us" : "position";
  const std::size_t n = paired.ops.size();
  table.start.reserve(n);
  table.latency.reserve(n);
  table.lane.reserve(n);
  table.f.reserve(n);
  table.outcome.reserve(n);
  table.text.reserve(n);

  struct Lane {
    std::string node;  // of its first op
    bool final = false;
  };
  std::map<std::int64_t, Lane> processes;
  for (const PairedOp& p : paired.ops) {
    if (processes.count(p.process)) continue;
    const Operation& op = history.ops[p.invoke];
    processes.emplace(p.process, Lane{op.node.value_or(""), is_final_op(op)});
  }
  std::unordered_map<std::int64_t, std::uint32_t> lane_of;
  for (const auto& [process, lane] : processes) {
    lane_of[process] = static_cast<std::uint32_t>(table.lanes.size());
    table.lanes.push_back(process);
    table.lane_nodes.push_back(lane.node);
    table.lane_labels.push_back(lane.final ? "final" + (lane.node.empty() ? "" : " " + lane.node)
                                           : "p" + std::to_string(process));
  }

  std::unordered_map<std::string, std::uint32_t> f_ids, text_ids;
  auto intern = [](std::unordered_map<std::string, std::uint32_t>& ids,
                   std::vector<std::string>& values, std::string key) {
    auto [it, inserted] = ids.try_emplace(key, static_cast<std::uint32_t>(values.size()));
    if (inserted) values.push_back(std::move(key));
    return it->second;
  };

  if (!history.ops.empty()) {
    table.begin = op_time(table, history.ops.front(), 0);
    table.end = table.begin;
    for (std::size_t i = 0; i < history.ops.size(); ++i) {
      double t = op_time(table, history.ops[i], i);
      table.begin = std::min(table.begin, t);
      table.end = std::max(table.end, t);
    }
  }

  for (const PairedOp& p : paired.ops) {
    const Operation& invoke = history.ops[p.invoke];
    const Operation* completion = p.completion ? &history.ops[*p.completion] : nullptr;
    auto row = static_cast<std::uint32_t>(table.start.size());
    double start = op_time(table, invoke, p.invoke);
    table.start.push_back(start);
    table.latency.push_back(
        completion ? static_cast<float>(op_time(table, *completion, *p.completion) - start)
                   : -1.0f);
    table.lane.push_back(lane_of.at(p.process));
    table.f.push_back(intern(f_ids, table.fs, invoke.f));
    table.outcome.push_back(p.outcome == OpType::kOk     ? OpOutcome::kOk
                            : p.outcome == OpType::kFail ? OpOutcome::kFail
                                                         : OpOutcome::kInfo);
    table.text.push_back(intern(text_ids, table.texts, operation_text(invoke, completion)));
    if (!wanted_indices.empty()) {
      if (wanted_indices.count(invoke.index)) table.rows_by_index[invoke.index] = row;
      if (completion && wanted_indices.count(completion->index)) {
        table.rows_by_index[completion->index] = row;
      }
    }
  }
  return table;
}

boost::json::object op_table_to_json(const OpTable& table) {
  boost::json::object out;
  out["count"] = table.size();
  out["unit"] = table.unit;
  out["begin"] = table.begin;
  out["end"] = table.end;
  out["start"] = encode_f64_column(table.start);
  out["latency"] = encode_f32_column(table.latency);
  out["lane"] = encode_uint_column(table.lane);
  out["f"] = encode_uint_column(table.f);
  std::vector<std::uint32_t> outcome(table.outcome.size());
  for (std::size_t i = 0; i < outcome.size(); ++i)
    outcome[i] = static_cast<std::uint32_t>(table.outcome[i]);
  out["outcome"] = encode_uint_column(outcome);
  out["text"] = encode_uint_column(table.text);
  boost::json::array lanes;
  for (std::size_t i = 0; i < table.lanes.size(); ++i) {
    lanes.push_back(boost::json::object{{"process", table.lanes[i]},
                                        {"node", table.lane_nodes[i]},
                                        {"label", table.lane_labels[i]},
                                        {"final", table.lane_labels[i].rfind("final", 0) == 0}});
  }
  out["lanes"] = std::move(lanes);
  out["fs"] = boost::json::array(table.fs.begin(), table.fs.end());
  out["texts"] = boost::json::array(table.texts.begin(), table.texts.end());
  boost::json::object rows;
  for (const auto& [index, row] : table.rows_by_index) rows[std::to_string(index)] = row;
  out["rows_by_index"] = std::move(rows);
  return out;
}

}  // namespace faultline
