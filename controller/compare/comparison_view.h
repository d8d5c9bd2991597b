#pragma once
// The side-by-side views of `faultline compare`: one row per measure, one column per mode,
// over the trade-off summaries (checker/staleness/tradeoff.h) of the runs.

#include <boost/json.hpp>
#include <string>

namespace faultline {

// A fixed-width table for a terminal.
std::string comparison_table(const boost::json::array& summaries);

// A small self-contained HTML page (no scripts, inline style) with the same table, the
// anomalies of each mode, and links to each run's directory. `title` names the comparison.
std::string comparison_html(const std::string& title, const boost::json::array& summaries);

}  // namespace faultline
