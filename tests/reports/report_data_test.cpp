// What a report embeds and how: the operations as columns, summaries, fault periods,
// and a page that stays inert whatever the history holds.

#include "reports/report_data.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <tuple>

#include "checker/history/pairing.h"
#include "reports/columns.h"
#include "reports/fault_periods.h"
#include "reports/html_report.h"
#include "reports/op_summary.h"
#include "tests/reports/test_support.h"

namespace faultline {
namespace {

using test::make_op;

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

TEST(HtmlReport, HostileValuesStayInsideTheirJson) {
  History h = test::hostile_history(200);
  boost::json::object results = {
      {"verdict", "invalid"},
      {"partitions",
       boost::json::array{
           {{"verdict", "invalid"}, {"explanation", {{"text", "<img src=x onerror=alert(1)>"}}}}}}};
  boost::json::object test_config = {{"name", "\"><script>alert('name')</script>"}};
  std::string html = render_html_report(h, results, test_config);

  // Only faultline's own script elements: the data, six columns, the code.
  EXPECT_EQ(count(html, "<script"), 8u);
  EXPECT_EQ(count(html, "</script>"), 8u);
  EXPECT_EQ(count(html, "<img"), 0u);
  EXPECT_NE(html.find("<title>faultline report: invalid · hostile&lt;script&gt;.jsonl</title>"),
            std::string::npos);

  const std::string open = "<script type=\"application/json\" id=\"faultline-data\">";
  auto begin = html.find(open) + open.size();
  auto end = html.find("</script>", begin);
  std::string data = html.substr(begin, end - begin);
  EXPECT_EQ(data.find('<'), std::string::npos);
  boost::json::object parsed = boost::json::parse(data).as_object();
  EXPECT_EQ(parsed["test"].as_object()["name"], test_config["name"]);
  const auto& texts = parsed["ops"].as_object()["texts"].as_array();
  bool found = false;
  for (const auto& t : texts)
    found |= t.as_string().find("</script><script>alert") != std::string::npos;
  EXPECT_TRUE(found) << "the hostile value is shown, as text";
}

TEST(ReportData, OperationsBecomeColumns) {
  History h;
  h.source = "t.jsonl";
  h.ops = {make_op(0, OpType::kInvoke, 2, "write", 1, 1'000),
           make_op(1, OpType::kInvoke, 1, "read", nullptr, 2'000),
           make_op(2, OpType::kOk, 2, "write", 1, 5'000),
           make_op(3, OpType::kInfo, 1, "read", nullptr, 9'000),
           make_op(4, OpType::kInvoke, 2, "read", nullptr, 10'000)};  // never completes
  boost::json::object results = {{"culprit", {{"index", 3}}}};
  boost::json::object data = build_report_data(h, results, {}, {});
  const auto& ops = data["ops"].as_object();
  EXPECT_EQ(ops.at("count"), 3);
  EXPECT_EQ(ops.at("unit"), "us");
  EXPECT_EQ(decode_column(ops.at("start").as_object()), (std::vector<double>{1, 2, 10}));
  EXPECT_EQ(decode_column(ops.at("latency").as_object()), (std::vector<double>{4, 7, -1}));
  EXPECT_EQ(decode_column(ops.at("outcome").as_object()), (std::vector<double>{0, 2, 2}));
  // Lanes ascend by process: process 1 is lane 0.
  EXPECT_EQ(decode_column(ops.at("lane").as_object()), (std::vector<double>{1, 0, 1}));
  EXPECT_EQ(ops.at("rows_by_index").as_object().at("3"), 1);  // the read's completion
  const auto& texts = ops.at("texts").as_array();
  auto text = decode_column(ops.at("text").as_object());
  EXPECT_EQ(texts[static_cast<std::size_t>(text[0])], "write 1");
  EXPECT_EQ(data["verdicts"].as_object()["overall"], "unknown");
}

TEST(ReportData, PorcupineLogWithoutTimesUsesPositions) {
  History h =
      read_history(std::string(FAULTLINE_SHARED_DIR) + "/histories/porcupine/jepsen/etcd_000.log");
  boost::json::object data = build_report_data(h, {}, {}, {});
  EXPECT_EQ(data["ops"].as_object()["unit"], "position");
  EXPECT_EQ(data["ops"].as_object()["count"], 85);
  auto latency = decode_column(data["ops"].as_object()["latency"].as_object());
  for (double l : latency) EXPECT_TRUE(l >= 1 || l == -1);
}

TEST(FaultPeriods, StartAndStopDelimitAPeriodAndAnUnstoppedOneRunsToTheEnd) {
  History h;
  h.ops = {make_op(0, OpType::kInvoke, kNemesisProcess, "start-partition", nullptr, 1'000'000),
           make_op(1, OpType::kInfo, kNemesisProcess, "start-partition", "majority", 1'100'000),
           make_op(2, OpType::kInvoke, 0, "read", nullptr, 2'000'000),
           make_op(3, OpType::kOk, 0, "read", 1, 3'000'000),
           make_op(4, OpType::kInvoke, kNemesisProcess, "stop-partition", nullptr, 4'000'000),
           make_op(5, OpType::kInfo, kNemesisProcess, "stop-partition", nullptr, 4'500'000),
           make_op(6, OpType::kInvoke, kNemesisProcess, "start", nullptr, 5'000'000),
           make_op(7, OpType::kInfo, kNemesisProcess, "clock-bump", {{"n1", 2.5}, {"n2", -1}},
                   6'000'000)};
  PairedHistory paired = pair_operations(h);
  OpTable table = build_op_table(h, paired, {});
  boost::json::object faults = fault_periods(h, paired, table);
  const auto& periods = faults["periods"].as_array();
  ASSERT_EQ(periods.size(), 2u);
  boost::json::object partition = {{"kind", "partition"},
                                   {"start", 1000.0},
                                   {"end", 4500.0},
                                   {"open", false},
                                   {"value", "\"majority\""}};
  EXPECT_EQ(periods[0], partition);
  EXPECT_EQ(periods[1].as_object().at("kind"), "fault");
  EXPECT_EQ(periods[1].as_object().at("end"), 6000.0);  // the end of the history
  EXPECT_EQ(periods[1].as_object().at("open"), true);
  EXPECT_EQ(faults["events"].as_array().size(), 6u);
  ASSERT_EQ(faults["clock"].as_array().size(), 2u);
  EXPECT_EQ(faults["clock"].as_array()[0].as_object().at("offset"), 2.5);
}

TEST(FaultPeriods, TheFinalHealDoesNotStretchAPeriodThatAlreadyEnded) {
  // faultline's own records: one info each; the run's final heal stops every kind again.
  History h;
  h.ops = {make_op(0, OpType::kInfo, kNemesisProcess, "start-partition", "bridge", 1'000'000),
           make_op(1, OpType::kInvoke, 0, "read", nullptr, 2'000'000),
           make_op(2, OpType::kOk, 0, "read", 1, 3'000'000),
           make_op(3, OpType::kInfo, kNemesisProcess, "stop-partition", nullptr, 4'000'000),
           make_op(4, OpType::kInfo, kNemesisProcess, "stop-partition", nullptr, 9'000'000)};
  PairedHistory paired = pair_operations(h);
  OpTable table = build_op_table(h, paired, {});
  boost::json::object faults = fault_periods(h, paired, table);
  const auto& periods = faults["periods"].as_array();
  ASSERT_EQ(periods.size(), 1u);
  EXPECT_EQ(periods[0].as_object().at("end"), 4000.0);
  EXPECT_EQ(periods[0].as_object().at("open"), false);
}

TEST(FaultPeriods, ClockFaultRecordsGiveEachNodesMeasuredOffsetOverTime) {
  History h = test::clock_fault_history();
  PairedHistory paired = pair_operations(h);
  OpTable table = build_op_table(h, paired, {});
  boost::json::object faults = fault_periods(h, paired, table);
  std::vector<std::tuple<double, std::string, double>> points;
  for (const auto& p : faults["clock"].as_array()) {
    const auto& o = p.as_object();
    points.emplace_back(o.at("time").as_double(), std::string(o.at("node").as_string()),
                        o.at("offset").as_double());
  }
  // Times in the table's unit (µs); offsets = system clock offset + faketime's offset.
  std::vector<std::tuple<double, std::string, double>> expected = {
      {1e6, "n2", 0.4},    {1e6, "n2", 5000.5}, {2e6, "n1", -0.3},
      {2e6, "n2", 5000.2}, {3e6, "n2", 5000.1}, {3e6, "n2", 0.3}};
  EXPECT_EQ(points, expected);
  ASSERT_EQ(faults["periods"].as_array().size(), 1u);
  EXPECT_EQ(faults["periods"].as_array()[0].as_object().at("kind"), "clock");
}

TEST(OpSummary, CountsAndNearestRankQuantiles) {
  History h;
  for (int i = 0; i < 100; ++i) {  // latencies 1..100 us, one process after another
    std::int64_t t = i * 1'000'000;
    h.ops.push_back(make_op(2 * i, OpType::kInvoke, 0, "read", nullptr, t));
    h.ops.push_back(
        make_op(2 * i + 1, i < 90 ? OpType::kOk : OpType::kFail, 0, "read", 1, t + (i + 1) * 1000));
  }
  PairedHistory paired = pair_operations(h);
  OpTable table = build_op_table(h, paired, {});
  boost::json::object s = summarize_ops(table, 10);
  EXPECT_EQ(s["totals"].as_object()["ok"], 90u);
  EXPECT_EQ(s["totals"].as_object()["fail"], 10u);
  const auto& overall = s["overall"].as_object();
  EXPECT_EQ(overall.at("p50"), 50.0);
  EXPECT_EQ(overall.at("p99"), 99.0);
  EXPECT_EQ(overall.at("max"), 100.0);
  EXPECT_NEAR(s["throughput"].as_double(), 100 / 0.0991, 0.01);  // 100 ops in 99.1 ms
  const auto& series = s["series"].as_object();
  EXPECT_EQ(series.at("bins"), 10u);
  std::int64_t in_bins = 0;
  for (const auto& c : series.at("ok").as_array()) in_bins += c.as_uint64();
  EXPECT_EQ(in_bins, 90);
}

TEST(HtmlReport, WritesNextToRunFilesAndLinksThem) {
  test::TempDir dir;
  test::write_file(dir.path() / "history.jsonl", "");
  test::write_file(dir.path() / "nodes" / "n1" / "etcd.log", "log");
  History h = test::hostile_history(20);
  write_html_report(h, {}, {}, dir.path() / "report.html");
  std::string html = test::read_file(dir.path() / "report.html");
  EXPECT_NE(html.find("\"href\":\"nodes/n1/etcd.log\""), std::string::npos);
  EXPECT_NE(html.find("\"href\":\"history.jsonl\""), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "report.html.tmp"));
}

}  // namespace
}  // namespace faultline
