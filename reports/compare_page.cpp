#include "reports/compare_page.h"

#include <stdexcept>
#include <system_error>

#include "reports/atomic_file.h"
#include "reports/compare_answers.h"
#include "reports/compare_index.h"
#include "reports/compare_rows.h"
#include "reports/escape.h"
#include "reports/page_shell.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

// Plots in page order: id, heading, what it shows. compare_page.js draws each by id.
struct PlotSection {
  const char* id;
  const char* title;
  const char* about;
};
constexpr PlotSection kPlots[] = {
    {"staleness-cdf", "Staleness distribution",
     "Share of ok reads (y) that were at most x behind: in time (how long before the read began "
     "its value had certainly been overwritten) and in versions (newer installed values it "
     "missed). Fresh reads (0) are the curve's start on the left edge."},
    {"staleness-time", "Staleness over time",
     "Each stale read: when it began (x) and how stale it was (y). Fault windows shaded."},
    {"latency-cdf", "Latency distribution",
     "Share of ok operations (y) answered within x, one plot per operation type."},
    {"latency-time", "Latency over time",
     "p50 (solid) and p99 (dashed) of the ok operations invoked in each second. Fault windows "
     "shaded."},
    {"availability-time", "Availability over time",
     "Each second, the share of clients that wanted service and got an answer (time-weighted "
     "slots, checker/perf/availability.h). Fault windows shaded."},
    {"convergence", "Convergence after the last heal",
     "Share of keys (y) on which every node agreed within x of the last heal (of the first "
     "final read when no fault was healed), from the final reads."},
};

std::string relative_link(const fs::path& target, const fs::path& page_dir) {
  std::error_code ec;
  fs::path from = fs::weakly_canonical(fs::absolute(page_dir), ec);
  if (ec) from = fs::absolute(page_dir);
  fs::path to = fs::weakly_canonical(fs::absolute(target), ec);
  if (ec) to = fs::absolute(target);
  fs::path rel = to.lexically_relative(from);
  return rel.empty() ? to.generic_string() : rel.generic_string();
}

std::string text_of(const boost::json::value& v) {
  return v.is_string() ? std::string(v.get_string()) : std::string();
}

}  // namespace

fs::path compare_json_path(const fs::path& html) {
  fs::path out = html;
  out.replace_extension(".compare.json");
  return out;
}

boost::json::object compare_page_data(const std::string& title, const std::vector<CompareRun>& runs,
                                      const fs::path& page_dir) {
  boost::json::array modes, summaries;
  for (const CompareRun& run : runs) {
    boost::json::object summary = run.summary;
    summary.erase("run");
    summary["mode"] = run.mode;
    summaries.push_back(summary);
    std::error_code ec;
    bool has_report = fs::is_regular_file(run.dir / "report.html", ec);
    std::string dir = relative_link(run.dir, page_dir);
    modes.push_back({{"mode", run.mode},
                     {"run", dir},
                     {"report", has_report ? boost::json::value(dir + "/report.html")
                                           : boost::json::value(nullptr)},
                     {"summary", std::move(summary)},
                     {"series", run.series}});
  }
  boost::json::array table;
  for (const CompareRow& row : compare_rows(summaries)) {
    boost::json::array cells;
    for (const auto& c : row.cells) cells.emplace_back(c);
    table.push_back({{"label", row.label}, {"cells", std::move(cells)}});
  }
  boost::json::object data{{"schema", "faultline.compare/1"}, {"title", title}};
  data["answers"] = answers_to_json(plain_answers(modes));
  data["table"] = std::move(table);
  data["modes"] = std::move(modes);
  return data;
}

std::string render_compare_page(const boost::json::object& data) {
  const std::string title =
      text_of(data.contains("title") ? data.at("title") : boost::json::value());
  const boost::json::array empty;
  const auto& modes =
      data.contains("modes") && data.at("modes").is_array() ? data.at("modes").get_array() : empty;
  std::string out = page_head(title, {"report.css", "compare.css"});
  out += "<main id=\"compare\">\n<header><h1>" + html_escape(title) +
         "</h1>\n<p class=\"muted\">The same workload and fault schedule (same seed), once per "
         "mode; one colour per mode on every plot.</p>\n<nav class=\"toc\"><a "
         "href=\"#answers\">answers</a><a href=\"#table\">table</a>";
  for (const auto& p : kPlots) out += std::string("<a href=\"#") + p.id + "\">" + p.title + "</a>";
  out += "<a href=\"#files\">runs</a></nav></header>\n";

  // Answers and table are plain HTML: readable without scripts.
  out += "<section id=\"answers\"><h2>Plain answers</h2>\n<ul class=\"answers\">\n";
  if (const auto* answers = data.if_contains("answers"); answers && answers->is_array()) {
    for (const auto& a : answers->get_array()) {
      out += "<li>" + html_escape(text_of(a.at("text")));
      for (const auto& plot : a.at("plots").get_array()) {
        std::string id = text_of(plot);
        std::string name = id;
        for (const auto& p : kPlots)
          if (id == p.id) name = p.title;
        out += " <a class=\"see\" href=\"#" + html_escape(id) + "\">" + html_escape(name) + "</a>";
      }
      out += "</li>\n";
    }
  }
  out += "</ul></section>\n<section id=\"table\"><h2>Side by side</h2>\n<table><tr><th></th>";
  for (std::size_t i = 0; i < modes.size(); ++i) {
    out += "<th data-mode=\"" + std::to_string(i) + "\">" +
           html_escape(text_of(modes[i].at("mode"))) + "</th>";
  }
  out += "</tr>\n";
  if (const auto* table = data.if_contains("table"); table && table->is_array()) {
    for (const auto& row : table->get_array()) {
      out += "<tr><th>" + html_escape(text_of(row.at("label"))) + "</th>";
      for (const auto& cell : row.at("cells").get_array()) {
        std::string c = text_of(cell);
        const char* cls = c == "INVALID" || c.find("FAILED") != std::string::npos ? " class=\"bad\""
                          : c == "valid" ? " class=\"good\""
                                         : "";
        out += std::string("<td") + cls + ">" + html_escape(c) + "</td>";
      }
      out += "</tr>\n";
    }
  }
  out +=
      "</table></section>\n<noscript><p>The plots are drawn with JavaScript, which is "
      "disabled; their data is in the .compare.json file beside this page.</p></noscript>\n";
  for (const auto& p : kPlots) {
    out += std::string("<section id=\"") + p.id + "\" class=\"plots\"><h2>" + p.title +
           "</h2><p class=\"muted\">" + p.about + "</p></section>\n";
  }
  out += "<section id=\"files\"><h2>Runs</h2><ul>\n";
  for (const auto& m : modes) {
    std::string run = text_of(m.at("run")), report = text_of(m.at("report"));
    out += "<li><strong>" + html_escape(text_of(m.at("mode"))) + "</strong>: ";
    if (!report.empty())
      out += "<a href=\"" + html_escape(percent_encode_path(report)) + "\">report</a>, ";
    out += "<a href=\"" + html_escape(percent_encode_path(run + "/")) +
           "\">run directory</a> <code>" + html_escape(run) + "</code></li>\n";
  }
  out += "</ul></section>\n</main>\n<script type=\"application/json\" id=\"compare-data\">";
  out += script_safe_json(data);
  out += "</script>\n";
  out += page_tail({"report_core.js", "report_plots.js", "compare_page.js"});
  return out;
}

fs::path write_compare_page(const fs::path& html, const boost::json::object& data) {
  if (html.has_parent_path()) fs::create_directories(html.parent_path());
  fs::path json = compare_json_path(html);
  write_file_atomically(json, boost::json::serialize(data) + "\n");
  write_file_atomically(html, render_compare_page(data));
  return json;
}

}  // namespace faultline
