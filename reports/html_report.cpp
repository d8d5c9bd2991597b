#include "reports/html_report.h"

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "reports/atomic_file.h"
#include "reports/escape.h"
#include "reports/page_shell.h"
#include "reports/verdicts.h"

namespace faultline {
namespace {

// Sections in page order; reports/assets/report_main.js fills each by id.
constexpr const char* kSections[] = {"verdict", "config",     "summary",  "anomalies",
                                     "latency", "throughput", "timeline", "files"};

}  // namespace

std::string render_html_report(const History& history, const boost::json::object& results,
                               const boost::json::object& test_config,
                               const std::vector<ReportLink>& links) {
  boost::json::object report = build_report_data(history, results, test_config, links);
  // Columns travel in script elements of their own, so the browser's JSON.parse never
  // scans their megabytes of base64 (which holds no '<', hence no escaping).
  std::string columns;
  for (auto& [name, value] : report["ops"].as_object()) {
    if (!value.is_object() || !value.as_object().contains("base64")) continue;
    auto& column = value.as_object();
    std::string id = "column-" + std::string(name);
    columns += "<script type=\"application/x-faultline-column\" id=\"" + id + "\">";
    columns += column["base64"].as_string();
    columns += "</script>\n";
    column.erase("base64");
    column["script_id"] = id;
  }
  std::string data = script_safe_json(report);
  std::string out;
  out.reserve(data.size() + columns.size() + 96 * 1024);
  out += page_head("faultline report: " + overall_verdict(results) + " · " + history.source,
                   {"report.css"});
  out += "<main id=\"report\">\n";
  out += "<header><h1>faultline report</h1><nav class=\"toc\">";
  for (const char* id : kSections) {
    out += "<a href=\"#";
    out += id;
    out += "\">";
    out += id;
    out += "</a>";
  }
  out += "</nav></header>\n";
  out +=
      "<noscript><p>This report draws its sections with JavaScript, which is disabled. "
      "The verdict is <strong>" +
      html_escape(overall_verdict(results)) +
      "</strong>; the data is in results.json.</p></noscript>\n";
  for (const char* id : kSections) {
    out += "<section id=\"";
    out += id;
    out += "\"></section>\n";
  }
  out += "</main>\n<script type=\"application/json\" id=\"faultline-data\">";
  out += data;
  out += "</script>\n";
  out += columns;
  out += page_tail({"report_core.js", "report_overview.js", "report_plots.js", "report_timeline.js",
                    "report_anomalies.js", "report_main.js"});
  return out;
}

std::vector<ReportLink> run_file_links(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::vector<ReportLink> links;
  std::error_code ec;
  for (const char* name :
       {"history.jsonl", "results.json", "test.json", "faultline.log", "junit.xml"}) {
    if (fs::is_regular_file(dir / name, ec)) links.push_back({name, name});
  }
  fs::path nodes = dir / "nodes";
  if (fs::is_directory(nodes, ec)) {
    std::vector<ReportLink> node_links;
    for (auto it = fs::recursive_directory_iterator(nodes, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file(ec)) continue;
      std::string rel = fs::relative(it->path(), dir, ec).generic_string();
      if (!ec && !rel.empty()) node_links.push_back({rel, rel});
    }
    std::sort(node_links.begin(), node_links.end(),
              [](const ReportLink& a, const ReportLink& b) { return a.href < b.href; });
    links.insert(links.end(), node_links.begin(), node_links.end());
  }
  return links;
}

void write_html_report(const History& history, const boost::json::object& results,
                       const boost::json::object& test_config, const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::string html = render_html_report(history, results, test_config, run_file_links(dir));
  write_file_atomically(path, html);
}

}  // namespace faultline
