#pragma once
// The run store as a list: every run directory under a store (store/<name>/<time>/ as
// `faultline test` writes it, or any directory holding history.jsonl, results.json,
// online.json or test.json, up to three levels down; symbolic links such as store/latest are
// not followed), with what its test.json and results.json say and whether it is still going
// (run_status.h). `faultline serve` shows it as a page.

#include <boost/json/array.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace faultline {

struct RunSummary {
  std::string path;        // relative to the store, '/'-separated: "etcd-register/20250101T120000"
  std::string name;        // test name (test.json "name", else the parent directory)
  std::string start_time;  // ISO 8601 when known, else ""
  std::string database, workload, faults;  // "" when unknown
  double duration_s = -1;                  // -1 when unknown
  std::string verdict;      // "valid" | "invalid" | "unknown" | "incomplete" (no results.json)
  std::string status;       // "running" | "interrupted" | "finished" (run_status.h)
  double quiet_s = -1;      // run_status.h's RunState::quiet_s
  bool has_report = false;  // report.html exists
};

// Whether `dir` is a run directory: it holds history.jsonl, results.json, online.json or
// test.json.
bool is_run_dir(const std::filesystem::path& dir);

// One run directory `dir` under `store` (which names it: `path`, and `name` when test.json
// does not). Unreadable test.json or results.json leave their fields unknown.
RunSummary summarize_run(const std::filesystem::path& store, const std::filesystem::path& dir);

// Runs under `store`, newest first. A run whose test.json or results.json is
// unreadable is still listed (its fields unknown). Missing store: empty list.
std::vector<RunSummary> scan_store(const std::filesystem::path& store);

boost::json::array runs_to_json(const std::vector<RunSummary>& runs);

// The store's index page: one self-contained HTML page (sortable, filterable table of
// runs linking to /runs/<path>/report.html, or /runs/<path>/live while running, and their
// files).
std::string render_store_index(const std::filesystem::path& store,
                               const std::vector<RunSummary>& runs);

}  // namespace faultline
