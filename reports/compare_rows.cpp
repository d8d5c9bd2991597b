#include "reports/compare_rows.h"

#include <cstdio>

namespace faultline {
namespace {

std::string number(const boost::json::value& v, const char* suffix = "") {
  if (v.is_null()) return "-";
  char buf[48];
  if (v.is_double()) {
    std::snprintf(buf, sizeof buf, "%.1f%s", v.get_double(), suffix);
  } else if (v.is_int64()) {
    std::snprintf(buf, sizeof buf, "%lld%s", static_cast<long long>(v.get_int64()), suffix);
  } else if (v.is_uint64()) {
    std::snprintf(buf, sizeof buf, "%llu%s", static_cast<unsigned long long>(v.get_uint64()),
                  suffix);
  } else {
    return boost::json::serialize(v);
  }
  return buf;
}

std::string percent(const boost::json::value& v) {
  if (!v.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", v.to_number<double>() * 100);
  return buf;
}

std::string triple(const boost::json::value& v, const char* suffix) {
  const auto* o = v.if_object();
  if (!o) return "-";
  return number(o->at("p50")) + " / " + number(o->at("p99")) + " / " + number(o->at("max"), suffix);
}

std::string verdict(const boost::json::value& v) {
  if (v.is_bool()) return v.get_bool() ? "valid" : "INVALID";
  return "unknown";
}

std::string anomalies(const boost::json::value& v) {
  const auto* o = v.if_object();
  if (!o || o->empty()) return "none";
  std::string out;
  for (const auto& [kind, count] : *o)
    out += (out.empty() ? "" : ", ") + std::string(kind) + " " + number(count);
  return out;
}

const boost::json::value& field(const boost::json::value& s, const char* name) {
  static const boost::json::value null;
  const auto* o = s.if_object();
  const auto* v = o ? o->if_contains(name) : nullptr;
  return v ? *v : null;
}

}  // namespace

std::string summary_mode(const boost::json::value& summary) {
  const auto& m = field(summary, "mode");
  return m.is_string() ? std::string(m.get_string()) : "";
}

std::vector<CompareRow> compare_rows(const boost::json::array& summaries) {
  std::vector<CompareRow> out = {
      {"verdict", {}},
      {"anomalies", {}},
      {"staleness ms p50/p99/max", {}},
      {"staleness versions p50/p99/max", {}},
      {"stale reads", {}},
      {"convergence", {}},
      {"availability in faults", {}},
      {"availability outside faults", {}},
      {"read availability in faults", {}},
      {"latency ms p50 / p99", {}},
  };
  for (const auto& s : summaries) {
    const auto& latency = field(s, "latency_ms");
    const auto& by_f = field(s, "availability_by_f_in_faults");
    const boost::json::value reads_in_faults =
        by_f.is_object() && by_f.get_object().contains("read") ? by_f.at("read")
                                                               : boost::json::value();
    std::string stale = "-";
    if (field(s, "reads").is_number())
      stale = number(field(s, "stale_reads")) + " of " + number(field(s, "reads"));
    std::string convergence = number(field(s, "convergence_ms"), " ms");
    if (field(s, "converged").is_bool() && !field(s, "converged").get_bool())
      convergence += " (FAILED)";
    std::vector<std::string> cells = {
        verdict(field(s, "valid")),
        anomalies(field(s, "anomalies")),
        triple(field(s, "staleness_ms"), ""),
        triple(field(s, "staleness_versions"), ""),
        stale,
        convergence,
        percent(field(s, "availability_in_faults")),
        percent(field(s, "availability_outside_faults")),
        percent(reads_in_faults),
        latency.is_object() ? number(latency.at("p50")) + " / " + number(latency.at("p99")) : "-"};
    for (std::size_t i = 0; i < cells.size(); ++i) out[i].cells.push_back(std::move(cells[i]));
  }
  return out;
}

}  // namespace faultline
