#pragma once
// Hand-written transactional histories for the txn checker tests.

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "checker/history/history.h"
#include "checker/txn/check.h"

namespace faultline::txn::testing {

struct T {
  int process;
  std::string outcome;  // ok | fail | info
  std::string mops;     // JSON list of micro-ops as completed (reads filled in)
};

// The invocation's value: the same micro-ops with every read's value null.
inline std::string invocation_value(const std::string& mops) {
  boost::json::value v = boost::json::parse(mops);
  for (auto& m : v.as_array()) {
    auto& a = m.as_array();
    if (a[0].as_string() == "r") a[2] = nullptr;
  }
  return boost::json::serialize(v);
}

inline std::string line(int process, const std::string& type, const std::string& value) {
  return R"({"type":")" + type + R"(","process":)" + std::to_string(process) +
         R"(,"f":"txn","value":)" + value + "}\n";
}

// All txns invoked first, then all completed: no process or real-time order between them.
inline History concurrent(const std::vector<T>& txns) {
  std::string text;
  for (const T& t : txns) text += line(t.process, "invoke", invocation_value(t.mops));
  for (const T& t : txns) {
    text += line(t.process, t.outcome, t.outcome == "ok" ? t.mops : invocation_value(t.mops));
  }
  std::istringstream in(text);
  return read_history(in, "test.jsonl", HistoryFormat::kJsonl);
}

// One after another: each completes before the next is invoked.
inline History sequential(const std::vector<T>& txns) {
  std::string text;
  for (const T& t : txns) {
    text += line(t.process, "invoke", invocation_value(t.mops));
    text += line(t.process, t.outcome, t.outcome == "ok" ? t.mops : invocation_value(t.mops));
  }
  std::istringstream in(text);
  return read_history(in, "test.jsonl", HistoryFormat::kJsonl);
}

inline TxnCheckResult check(const History& h, ObjectKind w = ObjectKind::kListAppend,
                            const std::string& model = "strict-serializable") {
  TxnCheckOptions o;
  o.workload = w;
  o.consistency_model = model;
  o.threads = 2;
  return check_transactions(h, o);
}

inline std::set<std::string> types(const TxnCheckResult& r) {
  std::set<std::string> out;
  for (const auto& [type, count] : r.anomaly_counts) out.insert(type);
  return out;
}

// Whether the result names `model` among the violated consistency models.
inline bool violates(const TxnCheckResult& r, const std::string& model) {
  return std::find(r.violated_models.begin(), r.violated_models.end(), model) !=
         r.violated_models.end();
}

inline std::string explanation(const TxnCheckResult& r, const std::string& type) {
  for (const auto& ex : r.examples) {
    if (ex.type == type) return ex.text;
  }
  return "";
}

}  // namespace faultline::txn::testing
