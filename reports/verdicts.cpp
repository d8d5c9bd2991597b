#include "reports/verdicts.h"

#include <boost/json.hpp>

namespace faultline {
namespace {

const boost::json::value* find(const boost::json::object& doc, std::string_view key) {
  auto it = doc.find(key);
  return it == doc.end() ? nullptr : &it->value();
}

std::string string_field(const boost::json::object& doc, std::string_view key) {
  const auto* v = find(doc, key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int severity(const std::string& verdict) {
  return verdict == "invalid" ? 2 : verdict == "unknown" ? 1 : 0;
}

// The explanation text of a partition or checker document, or another short message.
std::string message_of(const boost::json::object& doc) {
  if (const auto* e = find(doc, "explanation")) {
    if (e->is_object()) {
      std::string text = string_field(e->as_object(), "text");
      if (!text.empty()) return text;
    } else if (e->is_string()) {
      return std::string(e->as_string());
    }
  }
  for (const char* key : {"summary", "message", "error", "reason"}) {
    std::string text = string_field(doc, key);
    if (!text.empty()) return key == std::string("reason") ? "unknown: " + text : text;
  }
  return {};
}

CheckerVerdict checker_from(const std::string& fallback_name, const boost::json::object& doc) {
  CheckerVerdict c;
  c.name = string_field(doc, "checker");
  if (c.name.empty()) c.name = fallback_name;
  std::string model = string_field(doc, "model");
  if (!model.empty()) c.name = (c.name.empty() ? "linearizable" : c.name) + " (" + model + ")";
  if (c.name.empty()) c.name = "checker";
  c.verdict = verdict_of(doc);
  c.message = message_of(doc);
  if (const auto* parts = find(doc, "partitions"); parts && parts->is_array()) {
    for (const auto& p : parts->as_array()) {
      if (!p.is_object()) continue;
      ++c.partitions_total;
      const auto& part = p.as_object();
      std::string verdict = verdict_of(part);
      if (verdict == "valid") continue;
      const auto* key = find(part, "key");
      PartitionVerdict pv{key && !key->is_null() ? boost::json::serialize(*key) : "", verdict,
                          message_of(part)};
      if (c.message.empty() && verdict == "invalid") c.message = pv.message;
      c.not_valid.push_back(std::move(pv));
    }
  }
  return c;
}

}  // namespace

std::string verdict_of(const boost::json::object& doc) {
  if (const auto* v = find(doc, "verdict"); v && v->is_string()) {
    std::string verdict(v->as_string());
    if (verdict == "valid" || verdict == "invalid") return verdict;
    return "unknown";
  }
  if (const auto* v = find(doc, "valid")) {
    if (v->is_bool()) return v->as_bool() ? "valid" : "invalid";
  }
  return "unknown";
}

std::vector<CheckerVerdict> checker_verdicts(const boost::json::object& results) {
  std::vector<CheckerVerdict> out;
  if (const auto* checkers = find(results, "checkers")) {
    if (checkers->is_object()) {
      for (const auto& [name, doc] : checkers->as_object()) {
        if (doc.is_object()) out.push_back(checker_from(name, doc.as_object()));
      }
    } else if (checkers->is_array()) {
      for (const auto& doc : checkers->as_array()) {
        if (doc.is_object()) out.push_back(checker_from("", doc.as_object()));
      }
    }
  }
  if (out.empty() && !results.empty()) out.push_back(checker_from("", results));
  return out;
}

std::string overall_verdict(const boost::json::object& results) {
  if (find(results, "verdict") || find(results, "valid")) return verdict_of(results);
  auto checkers = checker_verdicts(results);
  if (checkers.empty()) return "unknown";
  std::string worst = "valid";
  for (const auto& c : checkers) {
    if (severity(c.verdict) > severity(worst)) worst = c.verdict;
  }
  return worst;
}

boost::json::object verdicts_to_json(const boost::json::object& results) {
  boost::json::array checkers;
  for (const auto& c : checker_verdicts(results)) {
    boost::json::array parts;
    for (const auto& p : c.not_valid) {
      parts.push_back({{"key", p.key}, {"verdict", p.verdict}, {"message", p.message}});
    }
    checkers.push_back(boost::json::object{{"name", c.name},
                                           {"verdict", c.verdict},
                                           {"message", c.message},
                                           {"partitions_total", c.partitions_total},
                                           {"not_valid", std::move(parts)}});
  }
  return {{"overall", overall_verdict(results)}, {"checkers", std::move(checkers)}};
}

}  // namespace faultline
