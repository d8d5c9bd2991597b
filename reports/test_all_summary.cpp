#include "reports/test_all_summary.h"

#include <algorithm>
#include <cstdio>

#include "reports/escape.h"
#include "reports/junit.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

int rank(const std::string& verdict) {
  if (verdict == "valid") return 0;
  if (verdict == "unknown") return 1;
  if (verdict == "invalid") return 2;
  return 3;  // error
}

std::string seconds_text(double s) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", s);
  return buffer;
}

std::string pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

}  // namespace

std::string worst_test_all_verdict(const std::vector<TestAllRow>& rows) {
  std::string worst = "valid";
  for (const TestAllRow& r : rows) {
    if (rank(r.verdict) > rank(worst)) worst = r.verdict;
  }
  return worst;
}

std::string test_all_table(const std::vector<TestAllRow>& rows) {
  std::size_t name_width = std::string("combination").size();
  for (const TestAllRow& r : rows) name_width = std::max(name_width, r.name.size());
  std::string out = pad("combination", name_width) + "  " + pad("verdict", 8) + "  " +
                    pad("seconds", 7) + "  run\n";
  for (const TestAllRow& r : rows) {
    out += pad(r.name, name_width) + "  " + pad(r.verdict, 8) + "  " +
           pad(seconds_text(r.seconds), 7) + "  " + (r.run_dir.empty() ? "-" : r.run_dir.string());
    if (r.verdict != "valid" && !r.message.empty()) out += "  (" + r.message + ")";
    out += "\n";
  }
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const TestAllRow& r : rows) ++counts[rank(r.verdict)];
  out += std::to_string(rows.size()) + " combination" + (rows.size() == 1 ? "" : "s") + ": " +
         std::to_string(counts[0]) + " valid, " + std::to_string(counts[2]) + " invalid, " +
         std::to_string(counts[1]) + " unknown, " + std::to_string(counts[3]) + " not run\n";
  return out;
}

std::string test_all_html(const std::string& title, const std::vector<TestAllRow>& rows,
                          const fs::path& page) {
  fs::path base = fs::absolute(page).parent_path();
  std::vector<std::string> dims;
  if (!rows.empty()) {
    for (const auto& [k, v] : rows.front().values) dims.push_back(k);
  }
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" +
                    html_escape(title) +
                    "</title>\n<style>\n"
                    "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\n"
                    "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px "
                    "10px;text-align:left}\n"
                    "th{background:#f3f3f3}.valid{background:#e3f4e3}.invalid{background:#fbe0e0}\n"
                    ".unknown{background:#fff3cd}.error{background:#eee;color:#a00}\n"
                    "td.why{max-width:40em;font-size:12px}\n</style></head><body>\n<h1>" +
                    html_escape(title) + "</h1>\n<p>Worst verdict: <b>" +
                    html_escape(worst_test_all_verdict(rows)) + "</b> over " +
                    std::to_string(rows.size()) + " combination" + (rows.size() == 1 ? "" : "s") +
                    ".</p>\n<table>\n<tr>";
  for (const auto& d : dims) out += "<th>" + html_escape(d) + "</th>";
  out += "<th>verdict</th><th>seconds</th><th>report</th><th>why</th></tr>\n";
  for (const TestAllRow& r : rows) {
    out += "<tr class=\"" + html_escape(r.verdict) + "\">";
    for (const auto& [k, v] : r.values) out += "<td>" + html_escape(v) + "</td>";
    out += "<td>" + html_escape(r.verdict) + "</td><td>" + seconds_text(r.seconds) + "</td><td>";
    if (r.has_report) {
      std::string link =
          fs::absolute(r.run_dir / "report.html").lexically_relative(base).generic_string();
      out += "<a href=\"" + html_escape(link) + "\">" + html_escape(r.run_dir.filename().string()) +
             "</a>";
    } else if (!r.run_dir.empty()) {
      out += html_escape(r.run_dir.filename().string());
    } else {
      out += "-";
    }
    out += "</td><td class=\"why\">" + html_escape(r.verdict == "valid" ? "" : r.message) +
           "</td></tr>\n";
  }
  out += "</table>\n</body></html>\n";
  return out;
}

std::string test_all_junit(const std::string& suite, const std::vector<TestAllRow>& rows) {
  std::vector<JunitCase> cases;
  for (const TestAllRow& r : rows) {
    std::string body = r.message;
    if (!r.run_dir.empty()) body += (body.empty() ? "" : "\n") + ("run: " + r.run_dir.string());
    cases.push_back({"faultline.test-all." + suite, r.name,
                     r.verdict == "error" ? "error" : r.verdict,
                     r.message.empty() ? r.verdict : r.message, body});
  }
  return render_junit_cases(cases, suite, worst_test_all_verdict(rows));
}

}  // namespace faultline
