#include "reports/run_report.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "checker/history/history.h"
#include "checker/history/input_error.h"
#include "checker/history/jsonl.h"
#include "reports/html_report.h"

namespace faultline {

std::optional<boost::json::object> read_json_object(const std::filesystem::path& path,
                                                    bool required) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!required && !std::filesystem::exists(path)) return std::nullopt;
    throw InputMissing("cannot read " + path.string());
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  std::size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  auto locate = [&](std::size_t offset, const std::string& problem) {
    offset = std::min(offset, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return InputError(path.string(), line, column, problem);
  };
  if (ec) throw locate(consumed, "not valid JSON: " + ec.message());
  boost::json::value value = parser.release();
  if (!value.is_object()) throw locate(0, "expected a JSON object");
  return std::move(value.as_object());
}

std::filesystem::path render_run_report(const std::filesystem::path& dir) {
  if (!std::filesystem::is_directory(dir)) throw InputMissing("no run directory " + dir.string());
  // A run killed mid-line (or still being written) has a torn last line: dropped, as
  // `faultline analyze` does.
  History history = read_jsonl_dropping_torn_line((dir / "history.jsonl").string(), nullptr);
  boost::json::object results =
      read_json_object(dir / "results.json", false).value_or(boost::json::object{});
  boost::json::object test =
      read_json_object(dir / "test.json", false).value_or(boost::json::object{});
  std::filesystem::path out = dir / "report.html";
  write_html_report(history, results, test, out);
  return out;
}

}  // namespace faultline
