#pragma once
// The side-by-side table of `faultline compare`: one row per measure, one cell per mode, as
// text, over the trade-off summaries (checker/staleness/tradeoff.h) of the runs. The terminal
// table (controller/compare/comparison_view.h) and the compare page (compare_page.h) show
// the same rows.

#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace faultline {

struct CompareRow {
  std::string label;               // "staleness ms p50/p99/max"
  std::vector<std::string> cells;  // one per summary, "-" where the figure is missing
};

std::vector<CompareRow> compare_rows(const boost::json::array& summaries);

// The summary's "mode" ("" when absent).
std::string summary_mode(const boost::json::value& summary);

}  // namespace faultline
