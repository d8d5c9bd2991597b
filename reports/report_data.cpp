#include "reports/report_data.h"

#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <unordered_set>

#include "checker/history/pairing.h"
#include "faultline/version.h"
#include "reports/fault_periods.h"
#include "reports/op_summary.h"
#include "reports/op_table.h"
#include "reports/verdicts.h"

namespace faultline {
namespace {

// Operation indices a results document names: integers under "index" or "*_index".
void collect_indices(const boost::json::value& value, std::unordered_set<std::int64_t>& out) {
  if (value.is_array()) {
    for (const auto& v : value.as_array()) collect_indices(v, out);
  } else if (value.is_object()) {
    for (const auto& [key, v] : value.as_object()) {
      std::string_view k = key;
      bool is_index = k == "index" || (k.size() > 6 && k.substr(k.size() - 6) == "_index");
      if (is_index && v.is_int64()) {
        out.insert(v.as_int64());
      } else if (is_index && v.is_uint64()) {
        out.insert(static_cast<std::int64_t>(v.as_uint64()));
      } else {
        collect_indices(v, out);
      }
    }
  }
}

std::string utc_now() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace

boost::json::object build_report_data(const History& history, const boost::json::object& results,
                                      const boost::json::object& test_config,
                                      const std::vector<ReportLink>& links) {
  PairedHistory paired = pair_operations(history);
  std::unordered_set<std::int64_t> wanted;
  collect_indices(results, wanted);
  OpTable table = build_op_table(history, paired, wanted);

  boost::json::object data;
  data["format"] = "faultline.report-data/1";
  data["meta"] = {{"source", history.source},
                  {"history_format", to_string(history.format)},
                  {"history_records", history.ops.size()},
                  {"nemesis_records", paired.nemesis.size()},
                  {"faultline_version", kVersion},
                  {"generated_at", utc_now()}};
  data["test"] = test_config;
  data["results"] = results;
  data["verdicts"] = verdicts_to_json(results);
  data["summary"] = summarize_ops(table);
  data["faults"] = fault_periods(history, paired, table);
  data["ops"] = op_table_to_json(table);
  boost::json::array link_array;
  for (const auto& link : links) link_array.push_back({{"label", link.label}, {"href", link.href}});
  data["links"] = std::move(link_array);
  return data;
}

}  // namespace faultline
