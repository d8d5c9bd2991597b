#pragma once
// The summary of `faultline test-all`: one row per combination of the test file's [matrix],
// as a plain-text table (stdout), one self-contained HTML page (no network, no scripts) that
// links each run's report relative to the page, and one JUnit XML file with one test case per
// combination (invalid: <failure>, unknown or not run: <error>).

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace faultline {

struct TestAllRow {
  std::string name;  // the combination: "nemesis=partition workload=register read-from=replica"
  std::vector<std::pair<std::string, std::string>> values;  // its dimensions, in matrix order
  std::string verdict;            // valid, invalid, unknown, or "error" (the run did not complete)
  std::string message;            // why not valid: the anomaly or the error, one line
  std::filesystem::path run_dir;  // empty when no run directory was made
  bool has_report = false;        // run_dir/report.html exists
  double seconds = 0;             // wall time of the run
};

// The text table: combination, verdict, seconds, run directory.
std::string test_all_table(const std::vector<TestAllRow>& rows);

// The HTML page, to be written at `page` (links are relative to its folder).
std::string test_all_html(const std::string& title, const std::vector<TestAllRow>& rows,
                          const std::filesystem::path& page);

// JUnit XML: suite `suite`, one test case per row (classname faultline.test-all.<suite>).
std::string test_all_junit(const std::string& suite, const std::vector<TestAllRow>& rows);

// The worst verdict of the rows: error > invalid > unknown > valid.
std::string worst_test_all_verdict(const std::vector<TestAllRow>& rows);

}  // namespace faultline
