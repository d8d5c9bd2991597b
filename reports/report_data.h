#pragma once
// The data a report embeds: everything its page shows, as one JSON object that
// reports/assets/*.js render. Operations travel as typed columns (op_table.h), so a
// report of 1,000,000 operations stays a few tens of megabytes and loads in seconds.

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "checker/history/history.h"

namespace faultline {

// A relative link shown in the report's "Files" section (history.jsonl, node logs...).
struct ReportLink {
  std::string label;
  std::string href;
};

// {"format": "faultline.report-data/1", "meta", "test", "results", "verdicts", "ops",
//  "summary", "faults", "links"}. `test_config` (test.json) may be empty. Throws
// InputError when the history's invocations and completions do not pair.
boost::json::object build_report_data(const History& history, const boost::json::object& results,
                                      const boost::json::object& test_config,
                                      const std::vector<ReportLink>& links);

}  // namespace faultline
