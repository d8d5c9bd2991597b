// CheckResult as a document (docs/results-format.md) and as words for a terminal.

#include <cstdio>

#include "checker/lin/check.h"
#include "checker/lin/model.h"

namespace faultline {
namespace {

boost::json::object op_json(const ReportedOp& op) {
  boost::json::object o;
  o["index"] = op.index;
  if (op.completion_index) o["completion_index"] = *op.completion_index;
  o["process"] = op.process;
  o["outcome"] = op.outcome;
  o["op"] = op.text;
  if (op.line) o["line"] = op.line;
  return o;
}

boost::json::array ops_json(const std::vector<ReportedOp>& ops) {
  boost::json::array a;
  for (const auto& op : ops) a.push_back(op_json(op));
  return a;
}

boost::json::object explanation_json(const Explanation& ex) {
  boost::json::object o;
  o["culprit"] = op_json(ex.culprit);
  boost::json::array states;
  for (const auto& s : ex.states) states.push_back({{"state", s.state}, {"why", s.why}});
  o["states"] = std::move(states);
  o["longest_prefix"] = ops_json(ex.longest_prefix);
  o["core"] = ops_json(ex.core);
  o["core_minimal"] = ex.core_minimal;
  o["text"] = ex.text;
  return o;
}

std::string key_text(const std::optional<boost::json::value>& key) {
  return key ? "key " + value_text(*key) : "the history";
}

std::string ms(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", v);
  return buf;
}

}  // namespace

boost::json::object CheckResult::to_json() const {
  boost::json::object doc;
  doc["schema"] = "faultline.results/1";
  doc["checker"] = "linearizability";
  doc["model"] = model;
  doc["source"] = source;
  doc["verdict"] = to_string(verdict);
  doc["operations"] = operations;
  std::size_t counts[3] = {0, 0, 0};
  for (const auto& p : partitions) ++counts[static_cast<int>(p.verdict)];
  doc["partition_counts"] = {{"total", partitions.size()},
                             {"valid", counts[0]},
                             {"invalid", counts[1]},
                             {"unknown", counts[2]}};
  doc["stats"] = {{"elapsed_ms", elapsed_ms},
                  {"states_explored", states_explored},
                  {"peak_memory_bytes", peak_memory_bytes}};
  boost::json::array parts;
  for (const auto& p : partitions) {
    boost::json::object o;
    o["key"] = p.key ? *p.key : boost::json::value(nullptr);
    o["verdict"] = to_string(p.verdict);
    if (p.verdict == Verdict::kUnknown) o["reason"] = p.reason;
    o["engine"] = p.engine;
    o["operations"] = p.operations;
    o["states_explored"] = p.states_explored;
    o["peak_memory_bytes"] = p.peak_memory_bytes;
    o["elapsed_ms"] = p.elapsed_ms;
    if (p.explanation) o["explanation"] = explanation_json(*p.explanation);
    parts.push_back(std::move(o));
  }
  doc["partitions"] = std::move(parts);
  return doc;
}

std::string CheckResult::summary() const {
  std::size_t counts[3] = {0, 0, 0}, cancelled = 0;
  for (const auto& p : partitions) {
    if (p.verdict == Verdict::kUnknown && p.reason == "cancelled") {
      ++cancelled;
    } else {
      ++counts[static_cast<int>(p.verdict)];
    }
  }
  std::string out = std::string(to_string(verdict)) + ": " + source + " is " +
                    (verdict == Verdict::kValid     ? "linearizable"
                     : verdict == Verdict::kInvalid ? "NOT linearizable"
                                                    : "undecided") +
                    " as a " + model + " (" + std::to_string(operations) + " operations, " +
                    std::to_string(partitions.size()) + " partition" +
                    (partitions.size() == 1 ? "" : "s") + ": " + std::to_string(counts[0]) +
                    " valid, " + std::to_string(counts[1]) + " invalid, " +
                    std::to_string(counts[2]) + " unknown" +
                    (cancelled ? ", " + std::to_string(cancelled) +
                                     " not finished after the first invalid one (--all-keys)"
                               : "") +
                    "; " + ms(elapsed_ms) + ")\n";
  std::size_t unknown_shown = 0;
  for (const auto& p : partitions) {
    if (p.verdict == Verdict::kUnknown && p.reason != "cancelled" && unknown_shown++ < 5) {
      out += "  " + key_text(p.key) + ": unknown (" + p.reason + " limit reached after " +
             std::to_string(p.states_explored) + " states)\n";
    }
  }
  for (const auto& p : partitions) {
    if (p.verdict == Verdict::kInvalid && p.explanation) {
      out += "In " + key_text(p.key) + ", " + p.explanation->text;
      break;
    }
  }
  return out;
}

}  // namespace faultline
