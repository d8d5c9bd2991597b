#include "reports/compare_index.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iterator>

#include "reports/compare_page.h"
#include "reports/escape.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

std::string iso_time(fs::file_time_type t) {
  auto system = std::chrono::time_point_cast<std::chrono::seconds>(
      t - fs::file_time_type::clock::now() + std::chrono::system_clock::now());
  std::time_t tt = std::chrono::system_clock::to_time_t(system);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void read_data(const fs::path& json, ComparePageSummary& page) {
  std::ifstream in(json);
  if (!in) return;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return;
  const auto& o = v.get_object();
  if (const auto* t = o.if_contains("title"); t && t->is_string()) page.title = t->get_string();
  if (const auto* modes = o.if_contains("modes"); modes && modes->is_array()) {
    for (const auto& m : modes->get_array()) {
      const auto* mode = m.is_object() ? m.get_object().if_contains("mode") : nullptr;
      if (mode && mode->is_string()) page.modes.emplace_back(mode->get_string());
    }
  }
}

}  // namespace

std::vector<ComparePageSummary> scan_compare_pages(const fs::path& store) {
  std::vector<std::pair<fs::file_time_type, ComparePageSummary>> found;
  std::error_code ec;
  for (fs::directory_iterator it(store / "compare", ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->path().extension() != ".html") continue;
    ComparePageSummary page;
    page.path = "compare/" + it->path().filename().string();
    page.title = it->path().filename().string();
    auto mtime = it->last_write_time(ec);
    page.written = ec ? "" : iso_time(mtime);
    read_data(compare_json_path(it->path()), page);
    found.emplace_back(mtime, std::move(page));
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second.path < b.second.path;
  });
  std::vector<ComparePageSummary> out;
  for (auto& [time, page] : found) out.push_back(std::move(page));
  return out;
}

std::string percent_encode_path(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

boost::json::array compare_pages_to_json(const std::vector<ComparePageSummary>& pages) {
  boost::json::array out;
  for (const auto& p : pages) {
    boost::json::array modes;
    for (const auto& m : p.modes) modes.emplace_back(m);
    out.push_back({{"path", p.path},
                   {"title", p.title},
                   {"modes", std::move(modes)},
                   {"written", p.written}});
  }
  return out;
}

std::string render_compare_list(const std::vector<ComparePageSummary>& pages) {
  if (pages.empty()) return "";
  std::string out =
      "<section id=\"compares\"><h2>Comparisons</h2><table><thead><tr><th>page</th>"
      "<th>modes</th><th>written</th></tr></thead><tbody>\n";
  for (const auto& p : pages) {
    std::string modes;
    for (const auto& m : p.modes) modes += (modes.empty() ? "" : ", ") + m;
    out += "<tr><td><a href=\"" + html_escape("/runs/" + percent_encode_path(p.path)) + "\">" +
           html_escape(p.title) + "</a></td><td>" + html_escape(modes) + "</td><td>" +
           html_escape(p.written) + "</td></tr>\n";
  }
  return out + "</tbody></table></section>\n";
}

}  // namespace faultline
