#include "controller/shrink/anomaly.h"

#include <vector>

namespace faultline {

std::map<std::string, double> anomalies_of(const boost::json::object& results) {
  std::map<std::string, double> out;
  const auto* tradeoff = results.if_contains("tradeoff");
  if (!tradeoff || !tradeoff->is_object()) return out;
  const auto* anomalies = tradeoff->get_object().if_contains("anomalies");
  if (!anomalies || !anomalies->is_object()) return out;
  for (const auto& [kind, count] : anomalies->get_object()) {
    if (count.is_number() && count.to_number<double>() > 0)
      out[std::string(kind)] = count.to_number<double>();
  }
  return out;
}

std::string main_anomaly(const boost::json::object& results) {
  const auto found = anomalies_of(results);
  if (found.empty()) return "";
  // Transactional anomaly types start with G or name a case (checker/txn/dependencies.h).
  for (const auto& [kind, count] : found) {
    if (kind.rfind("G", 0) == 0 || kind == "lost-update" || kind == "internal") return kind;
  }
  const std::vector<std::string> order{"lost",        "wrong_total",          "negative",
                                       "stale",       "unexpected",           "duplicated",
                                       "stale reads", "non-linearizable keys"};
  for (const auto& kind : order) {
    if (found.contains(kind)) return kind;
  }
  return found.begin()->first;
}

double max_staleness_ms(const boost::json::object& results) {
  const auto* t = results.if_contains("tradeoff");
  const auto* s = t && t->is_object() ? t->get_object().if_contains("staleness_ms") : nullptr;
  const auto* m = s && s->is_object() ? s->get_object().if_contains("max") : nullptr;
  return m && m->is_number() ? m->to_number<double>() : 0;
}

bool shows_anomaly(const boost::json::object& results, const std::string& kind,
                   double min_staleness_ms) {
  if (!anomalies_of(results).contains(kind)) return false;
  return min_staleness_ms <= 0 || max_staleness_ms(results) >= min_staleness_ms;
}

std::string describe_anomalies(const boost::json::object& results) {
  std::string out;
  for (const auto& [kind, count] : anomalies_of(results)) {
    out += (out.empty() ? "" : ", ") + kind + " " + std::to_string(static_cast<long long>(count));
  }
  return out.empty() ? "none" : out;
}

}  // namespace faultline
