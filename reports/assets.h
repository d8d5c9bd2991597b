#pragma once
// The report's CSS and JavaScript (reports/assets/*), compiled into the library so
// that a report is one file with no external references.

#include <string_view>

namespace faultline {

// The content of reports/assets/NAME (e.g. "report.css"); empty if there is none.
std::string_view report_asset(std::string_view name);

}  // namespace faultline
