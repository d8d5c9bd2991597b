#include "checker/online/online_check.h"

namespace faultline {
namespace {

std::size_t json_bytes(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::string:
      return v.get_string().capacity();
    case boost::json::kind::array: {
      std::size_t n = v.get_array().capacity() * sizeof(boost::json::value);
      for (const auto& x : v.get_array()) n += json_bytes(x);
      return n;
    }
    case boost::json::kind::object: {
      std::size_t n = v.get_object().capacity() * sizeof(boost::json::key_value_pair);
      for (const auto& [k, x] : v.get_object()) n += k.size() + json_bytes(x);
      return n;
    }
    default:
      return 0;
  }
}

}  // namespace

Verdict OnlineState::verdict_so_far() const {
  if (invalid > 0) return Verdict::kInvalid;
  if (!finished || unknown > 0 || !error.empty()) return Verdict::kUnknown;
  return Verdict::kValid;
}

boost::json::object OnlineState::to_json() const {
  boost::json::object anomaly_counts;
  for (const auto& [kind, n] : anomalies) anomaly_counts[kind] = n;
  boost::json::object out{{"verdict_so_far", to_string(verdict_so_far())},
                          {"unit", unit},
                          {"valid", valid},
                          {"invalid", invalid},
                          {"unknown", unknown},
                          {"pending", pending},
                          {"anomalies", std::move(anomaly_counts)},
                          {"operations", operations},
                          {"held_operations", held_operations},
                          {"held_bytes", held_bytes},
                          {"peak_held_bytes", peak_held_bytes},
                          {"finished", finished}};
  if (first_violation) {
    out["first_violation"] = {{"kind", first_violation->kind},
                              {"reason", first_violation->reason},
                              {"operation", first_violation->operation},
                              {"time", first_violation->time}};
  }
  if (!error.empty()) out["error"] = error;
  return out;
}

std::size_t approximate_bytes(const Operation& op) {
  std::size_t n = sizeof(Operation) + json_bytes(op.value) +
                  op.extra.capacity() * sizeof(boost::json::key_value_pair);
  if (op.key) n += json_bytes(*op.key);
  if (op.error) n += json_bytes(*op.error);
  for (const auto& [k, x] : op.extra) n += k.size() + json_bytes(x);
  return n;
}

}  // namespace faultline
