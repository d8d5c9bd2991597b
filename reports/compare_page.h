#pragma once
// The compare page of `faultline compare`: one self-contained HTML file (inline CSS, JS and
// SVG; the Content-Security-Policy forbids every request) that shows the modes side by side,
// one colour each: plain answers linked to their plots, the table of measures, staleness
// (distribution in ms and versions, and over time), latency (distribution per op type, p50/p99
// over time), time-weighted availability over time, and convergence after the last heal.
// Fault windows are shaded on every plot over time.
//
// Beside the page, `<page stem>.compare.json` holds the same data (docs/tradeoffs.md):
//   {"schema": "faultline.compare/1", "title",
//    "modes": [{"mode", "run", "report", "summary", "series"}],
//    "table": [{"label", "cells": [text per mode]}], "answers": [{"text", "plots"}]}
// where "run" and "report" are relative to the page ("report" null when the run has no
// report.html), so the compare folder and the run directories move together, and "summary" is
// the run's trade-off summary without its absolute "run" path.
//
// Every value is embedded as script-safe JSON and put into the page by textContent or drawing
// calls: a mode or title holding "<script>" renders inert.

#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace faultline {

struct CompareRun {
  std::string mode;
  boost::json::object summary;  // trade-off summary (its "run" is ignored)
  std::filesystem::path dir;    // the run directory
  boost::json::object series;   // compare_series(history of dir)
};

// The page's data, with links relative to `page_dir`.
boost::json::object compare_page_data(const std::string& title, const std::vector<CompareRun>& runs,
                                      const std::filesystem::path& page_dir);

std::string render_compare_page(const boost::json::object& data);

// Writes the page to `html` and the data beside it (returned path: <stem>.compare.json).
// Throws std::runtime_error naming the path that cannot be written.
std::filesystem::path write_compare_page(const std::filesystem::path& html,
                                         const boost::json::object& data);

// "<stem>.compare.json" beside `html`.
std::filesystem::path compare_json_path(const std::filesystem::path& html);

}  // namespace faultline
