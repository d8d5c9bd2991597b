#pragma once
// Hand-written histories for the linearizability tests: one call per event, in order.

#include <string>

#include "checker/history/history.h"
#include "checker/lin/check.h"

namespace faultline::testing {

class HistoryBuilder {
 public:
  HistoryBuilder& invoke(std::int64_t p, const std::string& f, boost::json::value v = nullptr) {
    return add(OpType::kInvoke, p, f, std::move(v));
  }
  HistoryBuilder& ok(std::int64_t p, const std::string& f, boost::json::value v = nullptr) {
    return add(OpType::kOk, p, f, std::move(v));
  }
  HistoryBuilder& fail(std::int64_t p, const std::string& f, boost::json::value v = nullptr) {
    return add(OpType::kFail, p, f, std::move(v));
  }
  HistoryBuilder& info(std::int64_t p, const std::string& f, boost::json::value v = nullptr) {
    return add(OpType::kInfo, p, f, std::move(v));
  }
  // An invocation immediately completed with `ok`.
  HistoryBuilder& call(std::int64_t p, const std::string& f, boost::json::value in,
                       boost::json::value out) {
    invoke(p, f, std::move(in));
    return ok(p, f, std::move(out));
  }
  // The key of the next events (Jepsen independent / kv); null for none.
  HistoryBuilder& key(boost::json::value k) {
    key_ = std::move(k);
    return *this;
  }
  const History& history() const { return h_; }

 private:
  HistoryBuilder& add(OpType type, std::int64_t p, const std::string& f, boost::json::value v) {
    Operation op;
    op.index = static_cast<std::int64_t>(h_.ops.size());
    op.type = type;
    op.process = p;
    op.f = f;
    op.value = std::move(v);
    if (!key_.is_null()) op.key = key_;
    op.line = h_.ops.size() + 1;
    h_.ops.push_back(std::move(op));
    return *this;
  }
  History h_{"test", HistoryFormat::kJsonl, {}};
  boost::json::value key_;
};

inline Verdict verdict_of(const History& h, const std::string& model, bool partition = true) {
  CheckOptions options;
  options.model = model;
  options.threads = 1;
  options.partition = partition;
  return check_linearizable(h, options).verdict;
}

}  // namespace faultline::testing
