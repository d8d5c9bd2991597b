#include "reports/live_run.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <optional>

#include "checker/history/pairing.h"
#include "checker/perf/distribution.h"
#include "checker/perf/fault_windows.h"
#include "checker/perf/over_time.h"
#include "reports/escape.h"
#include "reports/history_tail.h"
#include "reports/op_table.h"
#include "reports/page_shell.h"
#include "reports/run_report.h"
#include "reports/run_status.h"
#include "reports/store_index.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

constexpr double kBinMs = 1000;
constexpr std::size_t kMaxBins = 600;  // a long run's bins widen, whole seconds each

double bin_ms_for(std::int64_t last_time_ns) {
  const double seconds = static_cast<double>(std::max<std::int64_t>(0, last_time_ns)) / 1e9;
  return kBinMs * std::max(1.0, std::ceil(seconds / static_cast<double>(kMaxBins)));
}

// The operation of the first violation (a history index): its process and one line of text.
std::optional<boost::json::object> violation_op(const History& history, const PairedHistory& paired,
                                                std::int64_t index) {
  for (const PairedOp& pair : paired.ops) {
    const Operation& invoke = history.ops[pair.invoke];
    const Operation* done = pair.completion ? &history.ops[*pair.completion] : nullptr;
    if (invoke.index != index && (!done || done->index != index)) continue;
    return boost::json::object{
        {"index", index}, {"process", invoke.process}, {"text", operation_text(invoke, done)}};
  }
  return std::nullopt;
}

void add_history(const fs::path& file, HistoryTail& tail, const boost::json::object* online,
                 boost::json::object& doc) {
  doc["history"] = nullptr;
  doc["over_time"] = OverTime{}.to_json();
  doc["faults"] = boost::json::array{};
  std::error_code ec;
  if (!fs::exists(file, ec)) return;
  try {
    tail.refresh();
    const History& history = tail.history();
    const bool torn = tail.torn_last_line();
    PairedHistory paired = pair_operations(history);
    std::int64_t last = 0;
    for (const Operation& op : history.ops)
      if (op.time != kNoTime) last = std::max(last, op.time);
    std::size_t completed = 0;
    for (const PairedOp& pair : paired.ops) completed += pair.completion ? 1 : 0;
    doc["history"] = {{"records", history.ops.size()},
                      {"operations", paired.ops.size()},
                      {"completed", completed},
                      {"torn_last_line", torn},
                      {"last_time_ms", round3(static_cast<double>(last) / 1e6)}};
    doc["over_time"] = performance_over_time(history, paired, bin_ms_for(last)).to_json();
    doc["faults"] = fault_windows_json(fault_windows(history));
    const boost::json::value* first = online ? online->if_contains("first_violation") : nullptr;
    const boost::json::value* index =
        first && first->is_object() ? first->as_object().if_contains("operation") : nullptr;
    if (index && index->is_int64()) {
      if (auto op = violation_op(history, paired, index->as_int64()))
        doc["first_violation_op"] = std::move(*op);
    }
  } catch (const std::exception& e) {
    doc["history_error"] = e.what();
  }
}

}  // namespace

boost::json::object live_run_json(const fs::path& run_dir, HistoryTail* tail) {
  // Status, test.json's test, store, workload and faults and results.json's verdict, as the
  // index reads them.
  const fs::path absolute = fs::absolute(run_dir).lexically_normal();
  const fs::path dir = absolute.has_filename() ? absolute : absolute.parent_path();
  const RunSummary summary = summarize_run(dir.parent_path().parent_path(), dir);
  const bool running = summary.status == to_string(RunStatus::kRunning);
  const bool finished = summary.status == to_string(RunStatus::kFinished);
  boost::json::object doc{{"schema", "faultline.live/1"}};
  doc["status"] = summary.status;
  doc["quiet_s"] = summary.quiet_s >= 0 ? boost::json::value(round3(summary.quiet_s))
                                        : boost::json::value(nullptr);
  doc["test"] = {{"name", summary.name},
                 {"database", summary.database},
                 {"workload", summary.workload},
                 {"faults", summary.faults},
                 {"start_time", summary.start_time}};

  std::optional<boost::json::object> online;
  try {
    online = read_json_object(run_dir / "online.json", false);
  } catch (const std::exception& e) {
    doc["online_error"] = e.what();
  }
  doc["online"] = online ? boost::json::value(*online) : boost::json::value(nullptr);

  const fs::path history = run_dir / "history.jsonl";
  std::optional<HistoryTail> own;
  if (!tail) tail = &own.emplace(history);
  add_history(history, *tail, online ? &*online : nullptr, doc);

  doc["elapsed_s"] = nullptr;
  const boost::json::value* elapsed = online ? online->if_contains("elapsed_s") : nullptr;
  if (elapsed && elapsed->is_number()) {
    double s = elapsed->to_number<double>();
    if (running && summary.quiet_s > 0) s += summary.quiet_s;
    doc["elapsed_s"] = round3(s);
  } else if (doc.at("history").is_object()) {
    doc["elapsed_s"] = round3(doc.at("history").at("last_time_ms").to_number<double>() / 1e3);
  }

  doc["verdict"] = finished ? boost::json::value(summary.verdict) : boost::json::value(nullptr);
  doc["report"] = finished ? boost::json::value("report.html") : boost::json::value(nullptr);
  return doc;
}

std::string render_live_page(const boost::json::object& doc) {
  std::string name;
  if (const auto* test = doc.if_contains("test"); test && test->is_object()) {
    if (const auto* n = test->as_object().if_contains("name"); n && n->is_string())
      name = std::string(n->as_string());
  }
  std::string out =
      page_head("faultline live · " + name, {"report.css", "live_run.css"}, PageFetch::kSameOrigin);
  out +=
      "<main>\n<p class=\"muted\"><a href=\"/\">all runs</a></p>\n"
      "<section id=\"live-banner\"></section>\n<section id=\"live-test\"></section>\n"
      "<section id=\"live-counts\"></section>\n<section id=\"live-anomalies\"></section>\n"
      "<section id=\"live-throughput\"></section>\n<section id=\"live-latency\"></section>\n"
      "<p class=\"muted\" id=\"live-poll\"></p>\n</main>\n";
  out += "<script type=\"application/json\" id=\"faultline-live\">" + script_safe_json(doc) +
         "</script>\n";
  out += page_tail({"report_core.js", "live_run.js"});
  return out;
}

}  // namespace faultline
