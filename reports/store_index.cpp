#include "reports/store_index.h"

#include <algorithm>
#include <boost/json.hpp>

#include "reports/escape.h"
#include "reports/page_shell.h"
#include "reports/run_report.h"
#include "reports/run_status.h"
#include "reports/verdicts.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

// A string or a list of strings (e.g. nemesis kinds) as text; "" for anything else.
std::string text_of(const boost::json::value* v) {
  if (!v) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_array()) {
    std::string out;
    for (const auto& item : v->as_array()) {
      if (!item.is_string()) continue;
      if (!out.empty()) out += ",";
      out += item.as_string();
    }
    return out;
  }
  if (v->is_object()) {  // {"name": ...} or {"kind": ...}
    for (const char* key : {"name", "kind", "type"}) {
      if (auto* inner = v->as_object().if_contains(key)) return text_of(inner);
    }
  }
  return {};
}

const boost::json::value* field(const boost::json::object& doc,
                                std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    if (auto* v = doc.if_contains(key); v && !v->is_null()) return v;
  }
  return nullptr;
}

// "20250101T120000" -> "2025-01-01T12:00:00"; "" if the name is not a timestamp.
std::string time_from_dir_name(const std::string& name) {
  if (name.size() < 15 || name[8] != 'T') return {};
  for (std::size_t i = 0; i < 15; ++i) {
    if (i != 8 && !std::isdigit(static_cast<unsigned char>(name[i]))) return {};
  }
  return name.substr(0, 4) + "-" + name.substr(4, 2) + "-" + name.substr(6, 2) + "T" +
         name.substr(9, 2) + ":" + name.substr(11, 2) + ":" + name.substr(13, 2);
}

}  // namespace

bool is_run_dir(const fs::path& dir) {
  std::error_code ec;
  for (const char* name : {"history.jsonl", "results.json", "online.json", "test.json"}) {
    if (fs::is_regular_file(dir / name, ec)) return true;
  }
  return false;
}

RunSummary summarize_run(const fs::path& store, const fs::path& dir) {
  RunSummary run;
  run.path = fs::relative(dir, store).generic_string();
  run.name =
      dir.parent_path() == store ? dir.filename().string() : dir.parent_path().filename().string();
  run.start_time = time_from_dir_name(dir.filename().string());
  std::error_code ec;
  run.has_report = fs::is_regular_file(dir / "report.html", ec);
  const RunState state = run_state(dir);
  run.status = to_string(state.status);
  run.quiet_s = state.quiet_s;
  try {
    if (auto test = read_json_object(dir / "test.json", false)) {
      // `faultline test` keeps the command line's settings under "config".
      const auto* config_value = test->if_contains("config");
      const boost::json::object empty;
      const auto& config =
          config_value && config_value->is_object() ? config_value->as_object() : empty;
      auto either = [&](std::initializer_list<const char*> keys) {
        const auto* v = field(*test, keys);
        return v ? v : field(config, keys);
      };
      if (auto name = text_of(field(*test, {"name", "test_name"})); !name.empty()) run.name = name;
      if (auto t = text_of(field(*test, {"started", "start_time", "started_at"})); !t.empty())
        run.start_time = t;
      run.database = text_of(either({"db", "database"}));
      run.workload = text_of(either({"workload"}));
      run.faults = text_of(either({"nemesis", "faults"}));
      if (auto* d = either({"duration_s", "time_limit_s"}); d && d->is_number())
        run.duration_s = d->to_number<double>();
    }
  } catch (const std::exception&) {
    // Listed anyway: a broken test.json must not hide the run.
  }
  try {
    auto results = read_json_object(dir / "results.json", false);
    run.verdict = results ? overall_verdict(*results) : "incomplete";
    // The measured duration (results' "performance") beats the configured time limit.
    const auto* perf = results ? results->if_contains("performance") : nullptr;
    const auto* measured =
        perf && perf->is_object() ? perf->as_object().if_contains("duration_s") : nullptr;
    if (measured && measured->is_number()) run.duration_s = measured->to_number<double>();
  } catch (const std::exception&) {
    run.verdict = "unknown";
  }
  return run;
}

namespace {

void find_runs(const fs::path& store, const fs::path& dir, int depth,
               std::vector<RunSummary>& out) {
  std::error_code ec;
  if (is_run_dir(dir) && dir != store) {
    out.push_back(summarize_run(store, dir));
    return;
  }
  if (depth == 0) return;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_symlink(ec) || !it->is_directory(ec)) continue;
    find_runs(store, it->path(), depth - 1, out);
  }
}

}  // namespace

std::vector<RunSummary> scan_store(const fs::path& store) {
  std::vector<RunSummary> runs;
  std::error_code ec;
  if (!fs::is_directory(store, ec)) return runs;
  find_runs(store, store, 3, runs);
  std::sort(runs.begin(), runs.end(), [](const RunSummary& a, const RunSummary& b) {
    return a.start_time != b.start_time ? a.start_time > b.start_time : a.path < b.path;
  });
  return runs;
}

boost::json::array runs_to_json(const std::vector<RunSummary>& runs) {
  boost::json::array out;
  for (const auto& r : runs) {
    boost::json::object o{
        {"path", r.path},         {"name", r.name},         {"start_time", r.start_time},
        {"database", r.database}, {"workload", r.workload}, {"faults", r.faults},
        {"verdict", r.verdict},   {"status", r.status},     {"has_report", r.has_report}};
    o["duration_s"] =
        r.duration_s >= 0 ? boost::json::value(r.duration_s) : boost::json::value(nullptr);
    out.push_back(std::move(o));
  }
  return out;
}

std::string render_store_index(const fs::path& store, const std::vector<RunSummary>& runs) {
  boost::json::object data{{"store", store.string()}, {"runs", runs_to_json(runs)}};
  std::string out =
      page_head("faultline runs · " + store.string(), {"report.css", "store_index.css"});
  out += "<main>\n<h1>faultline runs</h1>\n<p class=\"muted\">" + html_escape(store.string()) +
         "</p>\n<div id=\"runs\"></div>\n</main>\n";
  out += "<script type=\"application/json\" id=\"faultline-runs\">" + script_safe_json(data) +
         "</script>\n";
  out += page_tail({"report_core.js", "store_index.js"});
  return out;
}

}  // namespace faultline
