#include "reports/shrink_page.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "reports/atomic_file.h"
#include "reports/escape.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr const char* kCsp =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'";

constexpr const char* kStyle = R"CSS(
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d232a;background:#fafbfc}
main{max-width:1100px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:28px 0 8px}
.facts{display:flex;flex-wrap:wrap;gap:8px 28px;margin:8px 0}.facts b{font-weight:600}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e3e6ea;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5}tr.kept td{background:#eef8ee}
pre{background:#f0f2f5;padding:10px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
svg{background:#fff;border:1px solid #e3e6ea}.lane{font-size:11px;fill:#555}
.axis{font-size:10px;fill:#777}.bar text{font-size:10px;fill:#fff}
)CSS";

const char* kind_color(const std::string& kind) {
  if (kind == "partition") return "#c0392b";
  if (kind == "kill") return "#6c3483";
  if (kind == "pause") return "#2874a6";
  if (kind == "clock") return "#b9770e";
  if (kind == "packet") return "#117a65";
  return "#566573";
}

std::string str(const object& o, const char* key) {
  const value* v = o.if_contains(key);
  if (!v) return "";
  if (v->is_string()) return std::string(v->get_string());
  return boost::json::serialize(*v);
}

double num(const object& o, const char* key) {
  const value* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<double>() : 0;
}

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

const array& faults_of(const object& candidate) {
  static const array empty;
  const value* s = candidate.if_contains("schedule");
  if (!s || !s->is_object()) return empty;
  const value* f = s->get_object().if_contains("faults");
  return f && f->is_array() ? f->get_array() : empty;
}

// The nodes a fault acts on, in words.
std::string fault_nodes(const object& f) {
  std::string out;
  if (const value* t = f.if_contains("targets"); t && t->is_array()) {
    for (const auto& n : t->get_array()) out += (out.empty() ? "" : " ") + str({{"n", n}}, "n");
  } else if (const value* d = f.if_contains("drops"); d && d->is_object()) {
    // The nodes that drop the most: the side cut off.
    std::size_t most = 0;
    for (const auto& [node, from] : d->get_object())
      most = std::max(most, from.is_array() ? from.get_array().size() : 0);
    for (const auto& [node, from] : d->get_object()) {
      if (from.is_array() && from.get_array().size() == most)
        out += (out.empty() ? "" : " ") + std::string(node);
    }
    out += " cut off";
  }
  return out;
}

// One schedule drawn in lanes by kind, on an axis of `axis_s` seconds.
std::string timeline(const object& candidate, double axis_s) {
  const std::vector<std::string> kinds{"partition", "kill", "pause", "clock", "packet"};
  const int width = 1040, left = 80, lane_h = 22, top = 8;
  const int height = top + lane_h * static_cast<int>(kinds.size()) + 24;
  const double scale = (width - left - 30) / std::max(axis_s, 1.0);  // room for the last label
  std::string svg = "<svg width=\"" + std::to_string(width) + "\" height=\"" +
                    std::to_string(height) + "\" role=\"img\">";
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    const int y = top + lane_h * static_cast<int>(i);
    svg += "<text class=\"lane\" x=\"4\" y=\"" + std::to_string(y + 15) + "\">" + kinds[i] +
           "</text><line x1=\"" + std::to_string(left) + "\" x2=\"" + std::to_string(width) +
           "\" y1=\"" + std::to_string(y + lane_h) + "\" y2=\"" + std::to_string(y + lane_h) +
           "\" stroke=\"#f0f0f0\"/>";
  }
  const int axis_y = top + lane_h * static_cast<int>(kinds.size());
  const double step = axis_s > 120 ? 20 : axis_s > 40 ? 10 : axis_s > 15 ? 5 : 1;
  for (double t = 0; t <= axis_s + 1e-9; t += step) {
    const double x = left + t * scale;
    svg += "<line x1=\"" + fmt(x) + "\" x2=\"" + fmt(x) + "\" y1=\"" + std::to_string(top) +
           "\" y2=\"" + std::to_string(axis_y) + "\" stroke=\"#eee\"/><text class=\"axis\" x=\"" +
           fmt(x - 6) + "\" y=\"" + std::to_string(axis_y + 14) + "\">" + fmt(t) + " s</text>";
  }
  for (const auto& fv : faults_of(candidate)) {
    if (!fv.is_object()) continue;
    const object& f = fv.get_object();
    const std::string kind = str(f, "kind");
    const auto lane = std::find(kinds.begin(), kinds.end(), kind) - kinds.begin();
    const double x = left + num(f, "at_ms") / 1000 * scale;
    const double w = std::max(2.0, num(f, "duration_ms") / 1000 * scale);
    const int y = top + lane_h * static_cast<int>(lane) + 3;
    const std::string label = fault_nodes(f);
    svg += "<g class=\"bar\"><title>" +
           html_escape(kind + " " + label + " at " + fmt(num(f, "at_ms") / 1000) + " s for " +
                       fmt(num(f, "duration_ms") / 1000) + " s") +
           "</title><rect x=\"" + fmt(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" + fmt(w) +
           "\" height=\"" + std::to_string(lane_h - 6) + "\" rx=\"3\" fill=\"" + kind_color(kind) +
           "\"/>";
    if (w > 40)
      svg += "<text x=\"" + fmt(x + 4) + "\" y=\"" + std::to_string(y + 12) + "\">" +
             html_escape(label) + "</text>";
    svg += "</g>";
  }
  const double limit = num(candidate, "time_limit_s");
  if (limit > 0) {
    const double x = left + limit * scale;
    svg += "<line x1=\"" + fmt(x) + "\" x2=\"" + fmt(x) + "\" y1=\"" + std::to_string(top) +
           "\" y2=\"" + std::to_string(axis_y) +
           "\" stroke=\"#333\" stroke-dasharray=\"4 3\"><title>time limit " + fmt(limit) +
           " s</title></line>";
  }
  return svg + "</svg>";
}

std::string run_links(const value* runs, const fs::path& page_dir) {
  std::string out;
  if (!runs || !runs->is_array()) return out;
  for (const auto& r : runs->get_array()) {
    if (!r.is_string()) continue;
    const fs::path dir(std::string(r.get_string()));
    std::error_code ec;
    fs::path rel = fs::relative(dir, page_dir, ec);
    if (ec || rel.empty()) rel = dir;
    out += (out.empty() ? "" : " ") + std::string("<a href=\"") +
           html_escape((rel / "report.html").generic_string()) + "\">" +
           html_escape(dir.filename().string().empty() ? dir.string()
                                                       : dir.parent_path().filename().string()) +
           "</a>";
  }
  return out;
}

}  // namespace

std::string render_shrink_page(const object& shrink, const fs::path& page_dir) {
  const object empty;
  auto member = [&](const char* key) -> const object& {
    const value* v = shrink.if_contains(key);
    return v && v->is_object() ? v->get_object() : empty;
  };
  const object& original = member("original");
  const object& minimal = member("minimal");
  double axis_s = std::max(num(original, "time_limit_s"), num(minimal, "time_limit_s"));
  for (const object* c : {&original, &minimal}) {
    for (const auto& f : faults_of(*c)) {
      if (f.is_object())
        axis_s = std::max(
            axis_s, (num(f.get_object(), "at_ms") + num(f.get_object(), "duration_ms")) / 1000);
    }
  }
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"" + std::string(kCsp) + "\">\n";
  out += "<meta name=\"generator\" content=\"faultline\">\n<title>faultline shrink: " +
         html_escape(str(shrink, "anomaly")) + "</title>\n<style>" + kStyle + "</style>\n</head>\n";
  out += "<body>\n<main>\n<h1>Shrinking: " + html_escape(str(shrink, "anomaly")) + "</h1>\n";
  out += "<div class=\"facts\"><span><b>run</b> " + html_escape(str(shrink, "run")) + "</span>";
  out += "<span><b>faults</b> " + html_escape(str(original, "faults")) + " → " +
         html_escape(str(minimal, "faults")) + "</span>";
  out += "<span><b>time limit</b> " + fmt(num(original, "time_limit_s")) + " s → " +
         fmt(num(minimal, "time_limit_s")) + " s</span>";
  out += "<span><b>minimal reproduced</b> " + html_escape(str(minimal, "reproduced")) + "</span>";
  out += "<span><b>search</b> " + html_escape(str(shrink, "stopped")) + " after " +
         fmt(static_cast<double>(static_cast<long long>(num(shrink, "elapsed_s")))) + " s of a " +
         fmt(num(shrink, "budget_minutes")) + " min budget, " +
         html_escape(str(shrink, "runs_per_candidate")) + " runs per candidate</span></div>\n";
  out += "<p>The original run showed: " + html_escape(str(original, "anomalies")) + ".</p>\n";
  out += "<h2>Original schedule</h2>\n" + timeline(original, axis_s) + "\n";
  out += "<h2>Minimal schedule</h2>\n" + timeline(minimal, axis_s) + "\n";
  out += "<p>Runs of the minimal schedule: " + run_links(minimal.if_contains("runs"), page_dir) +
         "</p>\n";
  out += "<h2>Reproduce it</h2>\n<pre>" + html_escape(str(minimal, "command")) + "</pre>\n<pre>" +
         html_escape(str(minimal, "replay_command")) + "</pre>\n";
  out +=
      "<h2>Steps</h2>\n<table><thead><tr><th>candidate</th><th>phase</th><th>change</th>"
      "<th>faults</th><th>time limit</th><th>reproduced</th><th>kept</th><th>runs</th></tr>"
      "</thead><tbody>\n";
  if (const value* steps = shrink.if_contains("steps"); steps && steps->is_array()) {
    for (const auto& sv : steps->get_array()) {
      if (!sv.is_object()) continue;
      const object& s = sv.get_object();
      const bool kept =
          s.if_contains("accepted") && s.at("accepted").is_bool() && s.at("accepted").get_bool();
      out += std::string("<tr") + (kept ? " class=\"kept\"" : "") + "><td>" +
             html_escape(str(s, "label")) + "</td><td>" + html_escape(str(s, "phase")) +
             "</td><td>" + html_escape(str(s, "description")) + "</td><td>" +
             html_escape(str(s, "faults")) + "</td><td>" + fmt(num(s, "time_limit_s")) +
             " s</td><td>" + html_escape(str(s, "reproduced")) + "</td><td>" +
             (kept ? "yes" : "no") + "</td><td>" + run_links(s.if_contains("runs"), page_dir) +
             "</td></tr>\n";
    }
  }
  out += "</tbody></table>\n</main>\n</body>\n</html>\n";
  return out;
}

void write_shrink_page(const object& shrink, const fs::path& path) {
  write_file_atomically(path, render_shrink_page(shrink, path.parent_path()));
}

}  // namespace faultline
