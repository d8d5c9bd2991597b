#pragma once
// Hand-made histories for the staleness, availability and convergence tests: operations with
// invocation and completion times in milliseconds, turned into a JSONL history ordered by time.

#include <algorithm>
#include <boost/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "checker/history/history.h"

namespace faultline::testing {

class HistoryBuilder {
 public:
  // A client operation invoked at `from` ms, completed (`type`) at `to` ms; `to` < 0: never
  // completes. `result` is the completion's value (reads); the invocation carries `value`.
  HistoryBuilder& op(std::int64_t process, const std::string& f, boost::json::value value,
                     double from, double to, const std::string& type = "ok",
                     boost::json::value result = nullptr, const std::string& node = "",
                     boost::json::value key = nullptr, bool final = false) {
    boost::json::object invoke{
        {"type", "invoke"}, {"process", process}, {"f", f}, {"value", value}, {"time", ns(from)}};
    if (!key.is_null()) invoke["key"] = key;
    if (!node.empty()) invoke["node"] = node;
    if (final) invoke["final"] = true;
    add(from, invoke);
    if (to >= 0) {
      boost::json::object done{{"type", type},
                               {"process", process},
                               {"f", f},
                               {"value", f == "read" ? result : value},
                               {"time", ns(to)}};
      if (!key.is_null()) done["key"] = key;
      if (!node.empty()) done["node"] = node;
      add(to, done);
    }
    return *this;
  }
  HistoryBuilder& write(std::int64_t p, std::int64_t v, double from, double to,
                        const std::string& type = "ok") {
    return op(p, "write", v, from, to, type);
  }
  HistoryBuilder& read(std::int64_t p, boost::json::value v, double from, double to,
                       const std::string& node = "") {
    return op(p, "read", nullptr, from, to, "ok", v, node);
  }
  HistoryBuilder& nemesis(const std::string& f, double at) {
    add(at,
        boost::json::object{{"type", "info"}, {"process", "nemesis"}, {"f", f}, {"time", ns(at)}});
    return *this;
  }

  History build() const {
    auto sorted = records_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string text;
    for (const auto& [t, line] : sorted) text += boost::json::serialize(line) + "\n";
    std::istringstream in(text);
    return read_history(in, "hand.jsonl", HistoryFormat::kJsonl);
  }

 private:
  static std::int64_t ns(double ms) { return static_cast<std::int64_t>(ms * 1e6); }
  void add(double at, boost::json::object line) { records_.emplace_back(at, std::move(line)); }
  std::vector<std::pair<double, boost::json::object>> records_;
};

}  // namespace faultline::testing
