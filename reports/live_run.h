#pragma once
// The live view of a run: what `faultline serve` shows at /runs/<run>/live while
// `faultline test` is still writing the run directory, and after. Its only source is the
// directory's files, read as they are at the moment of the request:
//   online.json    the online check's state, rewritten every second (docs/online.md);
//   history.jsonl  the operations so far (a last line without its newline, being written, is
//                  left out);
//   test.json      which test, store, workload and faults;
//   results.json   present once the run has finished (its verdict then is the run's).
//
// live_run_json's document ("faultline.live/1"):
//   {"schema", "status": "running" | "interrupted" | "finished" (run_status.h),
//    "quiet_s": seconds since the run last wrote the file its status is read from,
//    "elapsed_s": the online check's elapsed_s (plus quiet_s while running), else the
//                 history's last time; null if neither exists,
//    "test": {"name", "database", "workload", "faults", "start_time"},
//    "online": online.json as written, or null (no online check, or not started yet),
//    "online_error": why online.json could not be read (only then),
//    "first_violation_op": {"index", "process", "text"} of online.json's
//                          first_violation.operation, when the history holds it,
//    "history": {"records", "operations" (client operations invoked), "completed",
//                "torn_last_line": bool, "last_time_ms"} or null (no history.jsonl yet),
//    "history_error": why history.jsonl could not be read (only then),
//    "over_time": checker/perf/over_time.h's object (bins of 1 s, wider past 600 bins),
//    "faults": [{"kind", "start_ms", "end_ms", "open"}] (checker/perf/fault_windows.h),
//    "verdict": results.json's overall verdict, or null before it exists,
//    "report": "report.html" once finished, else null}

#include <boost/json/object.hpp>
#include <filesystem>
#include <string>

#include "reports/history_tail.h"

namespace faultline {

// Never throws for what the run directory holds: an unreadable file becomes an *_error field.
// `tail`, when given, is the run's history.jsonl as read by earlier calls (history_tail.h): only
// what was appended since is parsed. Without it the history is read whole.
boost::json::object live_run_json(const std::filesystem::path& run_dir,
                                  HistoryTail* tail = nullptr);

// The live page: one self-contained HTML page that shows `doc` (a live_run_json document) at
// once and then polls `live.json` beside its own URL every 2 s, redrawing verdict so far,
// counts, anomalies, the first violation and throughput and latency over time. Every value
// from the files lands in the page as text (textContent, drawing calls); its CSP allows
// requests to its own origin only.
std::string render_live_page(const boost::json::object& doc);

}  // namespace faultline
