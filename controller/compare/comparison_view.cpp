#include "controller/compare/comparison_view.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <utility>
#include <vector>

#include "reports/escape.h"

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
  const auto* v = s.as_object().if_contains(name);
  return v ? *v : null;
}

// (label, cell per mode)
std::vector<std::pair<std::string, std::vector<std::string>>> rows(
    const boost::json::array& summaries) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out = {
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
    for (std::size_t i = 0; i < cells.size(); ++i) out[i].second.push_back(std::move(cells[i]));
  }
  return out;
}

std::string mode_of(const boost::json::value& s) {
  const auto& m = field(s, "mode");
  return m.is_string() ? std::string(m.get_string()) : "";
}

}  // namespace

std::string comparison_table(const boost::json::array& summaries) {
  auto table = rows(summaries);
  std::size_t label_width = 0;
  for (const auto& [label, cells] : table) label_width = std::max(label_width, label.size());
  std::vector<std::size_t> widths;
  for (std::size_t c = 0; c < summaries.size(); ++c) {
    std::size_t w = mode_of(summaries[c]).size();
    for (const auto& [label, cells] : table) w = std::max(w, cells[c].size());
    widths.push_back(std::min<std::size_t>(w, 48));
  }
  auto pad = [](const std::string& s, std::size_t w) {
    return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
  };
  std::ostringstream out;
  out << pad("", label_width);
  for (std::size_t c = 0; c < summaries.size(); ++c)
    out << "  " << pad(mode_of(summaries[c]), widths[c]);
  out << '\n';
  for (const auto& [label, cells] : table) {
    out << pad(label, label_width);
    for (std::size_t c = 0; c < cells.size(); ++c) out << "  " << pad(cells[c], widths[c]);
    out << '\n';
  }
  return out.str();
}

std::string comparison_html(const std::string& title, const boost::json::array& summaries) {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
      << html_escape(title) << "</title>\n<style>"
      << "body{font:14px system-ui,sans-serif;margin:2em;color:#222}"
      << "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.35em "
         ".7em;text-align:left}"
      << "th{background:#f3f3f3}td.bad{color:#b00020;font-weight:600}td.good{color:#1b5e20}"
      << "caption{text-align:left;font-weight:600;margin-bottom:.5em}"
      << "</style></head><body>\n<h1>" << html_escape(title) << "</h1>\n"
      << "<p>The same workload and fault schedule (same seed), once per mode. Staleness: how long "
         "(ms) and by how many newer values a read was behind writes that had certainly "
         "completed before it began; 0 for a linearizable history.</p>\n"
      << "<table><caption>Side by side</caption>\n<tr><th></th>";
  for (const auto& s : summaries) out << "<th>" << html_escape(mode_of(s)) << "</th>";
  out << "</tr>\n";
  for (const auto& [label, cells] : rows(summaries)) {
    out << "<tr><th>" << html_escape(label) << "</th>";
    for (const auto& cell : cells) {
      const char* cls = cell == "INVALID" || cell.find("FAILED") != std::string::npos
                            ? " class=\"bad\""
                        : cell == "valid" ? " class=\"good\""
                                          : "";
      out << "<td" << cls << ">" << html_escape(cell) << "</td>";
    }
    out << "</tr>\n";
  }
  out << "<tr><th>run</th>";
  for (const auto& s : summaries) {
    const auto& dir = field(s, "run");
    std::string d = dir.is_string() ? std::string(dir.get_string()) : "";
    out << "<td>"
        << (d.empty() ? "-"
                      : "<a href=\"" + html_escape("file://" + d) + "\">" + html_escape(d) + "</a>")
        << "</td>";
  }
  out << "</tr>\n</table>\n</body></html>\n";
  return out.str();
}

}  // namespace faultline
