#pragma once
// The HTML report: one self-contained file (inline CSS, JS and SVG; no network; the
// Content-Security-Policy forbids any request) that explains a verdict and shows the
// faults against latency, throughput and a zoomable timeline of every operation.
//
// Every value from a history, a database or a results document is embedded as JSON
// in <script type="application/json"> with `<` escaped, and put into the page by
// textContent or drawing calls only: a history holding "<script>" renders inert.
//
// test_config is the run's test.json (may be empty). Fields the report shows when
// present (top level or one level down): name, db/database, workload, nemesis, seed,
// faultline_version, db_version, versions {...}, and the command to reproduce as
// `command` (a string) or `argv` (an array); a check report reproduces itself from
// the results' `model` and `source`.

#include <boost/json/object.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "checker/history/history.h"
#include "reports/report_data.h"

namespace faultline {

// The report as a string, with `links` (relative to the report) in its Files section.
std::string render_html_report(const History& history, const boost::json::object& results,
                               const boost::json::object& test_config,
                               const std::vector<ReportLink>& links = {});

// Writes the report to `path` (atomically: a temporary file renamed over it). Files
// next to it (history.jsonl, results.json, test.json, faultline.log, junit.xml,
// nodes/<node>/...) are linked. Throws std::runtime_error naming the path if it
// cannot be written, InputError if the history's operations do not pair.
void write_html_report(const History& history, const boost::json::object& results,
                       const boost::json::object& test_config, const std::filesystem::path& path);

// Relative links to the run files present in `dir` (see write_html_report).
std::vector<ReportLink> run_file_links(const std::filesystem::path& dir);

}  // namespace faultline
