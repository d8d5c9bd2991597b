#pragma once
// The side-by-side views of `faultline compare`: one row per measure, one column per mode,
// over the trade-off summaries (checker/staleness/tradeoff.h) of the runs. The page with its
// plots and plain answers is reports/compare_page.h.

#include <boost/json.hpp>
#include <filesystem>
#include <string>

namespace faultline {

// A fixed-width table for a terminal (the rows of reports/compare_rows.h).
std::string comparison_table(const boost::json::array& summaries);

// Writes the compare page `html` and its .compare.json (reports/compare_page.h) for the
// summaries of `faultline compare` (each with its "mode" and absolute "run" directory, whose
// history.jsonl gives the plots' series). Returns the .compare.json path. Throws InputMissing /
// InputError for a run whose history is missing or malformed, std::runtime_error when a file
// cannot be written.
std::filesystem::path write_comparison_page(const std::filesystem::path& html,
                                            const std::string& title,
                                            const boost::json::array& summaries,
                                            double convergence_timeout_s);

}  // namespace faultline
