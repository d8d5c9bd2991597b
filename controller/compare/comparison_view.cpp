#include "controller/compare/comparison_view.h"

#include <algorithm>
#include <sstream>

#include "controller/run/analysis.h"
#include "reports/compare_page.h"
#include "reports/compare_rows.h"
#include "reports/compare_series.h"

namespace faultline {

std::string comparison_table(const boost::json::array& summaries) {
  std::vector<CompareRow> table = compare_rows(summaries);
  std::size_t label_width = 0;
  for (const auto& row : table) label_width = std::max(label_width, row.label.size());
  std::vector<std::size_t> widths;
  for (std::size_t c = 0; c < summaries.size(); ++c) {
    std::size_t w = summary_mode(summaries[c]).size();
    for (const auto& row : table) w = std::max(w, row.cells[c].size());
    widths.push_back(std::min<std::size_t>(w, 48));
  }
  auto pad = [](const std::string& s, std::size_t w) {
    return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
  };
  std::ostringstream out;
  out << pad("", label_width);
  for (std::size_t c = 0; c < summaries.size(); ++c)
    out << "  " << pad(summary_mode(summaries[c]), widths[c]);
  out << '\n';
  for (const auto& row : table) {
    out << pad(row.label, label_width);
    for (std::size_t c = 0; c < row.cells.size(); ++c) out << "  " << pad(row.cells[c], widths[c]);
    out << '\n';
  }
  return out.str();
}

std::filesystem::path write_comparison_page(const std::filesystem::path& html,
                                            const std::string& title,
                                            const boost::json::array& summaries,
                                            double convergence_timeout_s) {
  CompareSeriesOptions options;
  options.convergence_timeout_s = convergence_timeout_s;
  std::vector<CompareRun> runs;
  for (const auto& s : summaries) {
    CompareRun run;
    run.mode = summary_mode(s);
    run.summary = s.as_object();
    run.dir = std::string(s.at("run").as_string());
    run.series = compare_series(read_run_history(run.dir / "history.jsonl", nullptr), options);
    runs.push_back(std::move(run));
  }
  std::filesystem::path dir = html.has_parent_path() ? html.parent_path() : ".";
  return write_compare_page(html, compare_page_data(title, runs, dir));
}

}  // namespace faultline
