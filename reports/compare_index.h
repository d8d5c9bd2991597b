#pragma once
// The compare pages of a store: every <store>/compare/*.html that `faultline compare`
// wrote, with the title and modes its .compare.json names. `faultline serve` lists them
// above the runs.

#include <boost/json/array.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace faultline {

struct ComparePageSummary {
  std::string path;   // relative to the store, '/'-separated: "compare/redis-register-....html"
  std::string title;  // the data's "title", else the file name
  std::vector<std::string> modes;
  std::string written;  // modification time, ISO 8601 (UTC)
};

// Newest first. Missing folder: empty list. A page without readable data is still listed.
std::vector<ComparePageSummary> scan_compare_pages(const std::filesystem::path& store);

boost::json::array compare_pages_to_json(const std::vector<ComparePageSummary>& pages);

// An HTML fragment (<section id="compares">...</section>, static, escaped) linking each page
// under /runs/; "" when there are none.
std::string render_compare_list(const std::vector<ComparePageSummary>& pages);

// `path` with everything but unreserved characters and '/' percent-encoded (for an href).
std::string percent_encode_path(const std::string& path);

}  // namespace faultline
