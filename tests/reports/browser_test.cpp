// The report as a person sees it: rendered by headless Chromium, with no console
// message, no network request, and its verdict, plots, timeline and anomalies on the
// page: for a real `faultline test` run on a local cluster (etcd, partitions), for an
// invalid check, for hand-made runs (hostile values, set/bank findings, clock offsets).
// Screenshots go to the build's tests/artifacts/. Needs Debian's `chromium`; the real run
// needs root (namespaces) and etcd.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <regex>

#include "checker/bank/bank_checker.h"
#include "checker/history/jsonl.h"
#include "checker/set/set_checker.h"
#include "tests/reports/browser_support.h"
#include "tests/reports/chromium.h"
#include "tests/reports/test_support.h"
#include "tests/support/local_cluster.h"
#include "tests/support/subprocess.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using test::ServeProcess;

int run(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A run directory as `faultline test` leaves it, with hostile values in its history,
// its test.json and its results.
fs::path make_run(const fs::path& dir) {
  History h = test::hostile_history(4000, 8);
  std::ofstream history(dir / "history.jsonl");
  write_jsonl(h, history);
  history.close();
  test::write_file(dir / "test.json",
                   R"({"name": "etcd \"<script>alert('name')</script>", "db": "etcd",
      "workload": "register", "nemesis": ["partition"], "seed": 42,
      "argv": ["faultline", "test", "--db", "etcd", "--seed", "42"]})");
  // An invalid partition whose culprit is the history's 11th invocation.
  const Operation& culprit = h.ops[10];
  boost::json::object op = {{"index", culprit.index},
                            {"process", culprit.process},
                            {"outcome", "ok"},
                            {"op", "read 3 <img src=x onerror=alert(1)>"}};
  boost::json::object results = {
      {"schema", "faultline.results/1"},
      {"checker", "linearizability"},
      {"model", "cas-register"},
      {"verdict", "invalid"},
      {"partitions",
       boost::json::array{
           {{"verdict", "invalid"},
            {"explanation",
             {{"culprit", op},
              {"states",
               boost::json::array{{{"state", "4"}, {"why", "read 3, but the register holds 4"}}}},
              {"core", boost::json::array{op}},
              {"text", "read 3 cannot be linearized"}}}}}}};
  test::write_file(dir / "results.json", boost::json::serialize(results));
  return dir;
}

TEST(ReportInChromium, RunReportShowsVerdictPlotsTimelineAndStaysInert) {
  REQUIRE_CHROMIUM(chromium);
  test::TempDir dir;
  make_run(dir.path());
  ASSERT_EQ(run(std::string(FAULTLINE_BINARY) + " report " + dir.path().string() + " > /dev/null"),
            1);

  test::PageLoad load = test::load_page(chromium, "file://" + (dir.path() / "report.html").string(),
                                        fs::path(FAULTLINE_ARTIFACTS_DIR) / "report-run.png");
  expect_clean_load(load);
  EXPECT_NE(load.dom.find("data-verdict=\"invalid\""), std::string::npos);
  EXPECT_NE(load.dom.find("id=\"latency-plot\""), std::string::npos);
  EXPECT_NE(load.dom.find("id=\"throughput-plot\""), std::string::npos);
  EXPECT_NE(load.dom.find("<canvas id=\"timeline-canvas\" data-ops=\"4000\""), std::string::npos);
  EXPECT_NE(load.dom.find("faultline test --db etcd --seed 42"), std::string::npos);
  EXPECT_NE(
      load.dom.find("Offending operation: process 2 read 3 &lt;img src=x onerror=alert(1)&gt;"),
      std::string::npos);
  // The hostile name is on the page as text, and no element came out of any value.
  EXPECT_NE(load.dom.find("etcd \"&lt;script&gt;alert('name')&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(load.dom.find("<script>alert"), std::string::npos);
  EXPECT_EQ(load.dom.find("<img"), std::string::npos);
  EXPECT_TRUE(fs::exists(fs::path(FAULTLINE_ARTIFACTS_DIR) / "report-run.png"));
}

// A real run: `faultline test` with etcd on a 3-node local cluster of its own under
// partitions; the cluster, its etcd data, nemesis state and the store are removed whatever
// happens.
class LocalClusterReport : public ::testing::Test {
 protected:
  void up() {
    auto r = faultline::testing::cluster_up("fl-rep", 3, local_);
    cluster_ = local_.name;
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  void TearDown() override { faultline::testing::cluster_down(local_); }
  faultline::testing::LocalCluster local_;  // (its store unused: runs write to store_)
  std::string cluster_;
  test::TempDir store_;
};

TEST_F(LocalClusterReport, ReportOfAnEtcdRunUnderPartitionsShowsVerdictPlotsAndTimeline) {
  REQUIRE_CHROMIUM(chromium);
  ASSERT_NO_FATAL_FAILURE(up());
  auto r = faultline::testing::run(
      {FAULTLINE_BINARY, "test", "--cluster", cluster_, "--store", store_.path().string(), "--db",
       "etcd", "--workload", "register", "--nemesis", "partition", "--time-limit", "10",
       "--nemesis-interval", "2", "--seed", "11"},
      std::chrono::seconds(150));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  fs::path run_dir = fs::canonical(store_.path() / "latest");
  fs::path report = run_dir / "report.html";
  ASSERT_NE(r.out.find("report: " + report.string()), std::string::npos) << r.out;
  auto results = boost::json::parse(test::read_file(run_dir / "results.json")).as_object();
  auto operations = results.at("tradeoff").at("operations").to_number<std::int64_t>();

  fs::path shot = fs::path(FAULTLINE_ARTIFACTS_DIR) / "report-real-run.png";
  fs::remove(shot);
  test::PageLoad load = test::load_page(chromium, "file://" + report.string(), shot);
  expect_clean_load(load);
  EXPECT_NE(load.dom.find("data-verdict=\"valid\""), std::string::npos);
  EXPECT_NE(load.dom.find("linearizability (cas-register)"), std::string::npos);
  // Both plots, with the partitions shaded.
  for (const char* plot : {"id=\"latency-plot\"", "id=\"throughput-plot\""}) {
    auto at = load.dom.find(plot);
    ASSERT_NE(at, std::string::npos) << plot;
    EXPECT_NE(load.dom.find("<title>partition ", at), std::string::npos)
        << "no shaded partition in " << plot;
  }
  const std::string periods = "<dt>fault periods</dt><dd>";
  auto at = load.dom.find(periods);
  ASSERT_NE(at, std::string::npos);
  EXPECT_GE(std::stoi(load.dom.substr(at + periods.size())), 1);
  // Every client operation (setup and final ones included) is on the timeline.
  const std::string canvas = "<canvas id=\"timeline-canvas\" data-ops=\"";
  at = load.dom.find(canvas);
  ASSERT_NE(at, std::string::npos);
  EXPECT_GE(std::stoll(load.dom.substr(at + canvas.size())), operations);
  EXPECT_NE(load.dom.find("--nemesis-interval 2"), std::string::npos) << "the command to reproduce";
  EXPECT_NE(load.dom.find("href=\"nodes/n1/etcd.log\""), std::string::npos);
  ASSERT_TRUE(fs::exists(shot));
  EXPECT_GT(fs::file_size(shot), 20'000u);
  std::cout << "screenshot of the real run's report: " << shot.string() << "\n";
}

// The clock fault on real nodes (libfaketime; no database needed): what the nemesis measured
// while it held n2's clock 5 s ahead is plotted with the anomalies.
TEST_F(LocalClusterReport, ClockOffsetsTheNemesisMeasuredArePlotted) {
  REQUIRE_CHROMIUM(chromium);
  ASSERT_NO_FATAL_FAILURE(up());
  fs::path dir = store_.path() / "clock";
  fs::create_directories(dir);
  auto r = faultline::testing::run({FAULTLINE_BINARY,
                                    "nemesis",
                                    "run",
                                    "--cluster",
                                    cluster_,
                                    "--nemesis",
                                    "clock",
                                    "--clock-strategy",
                                    "faketime",
                                    "--clock-mode",
                                    "bump",
                                    "--offset-ms",
                                    "5000",
                                    "--target",
                                    "n2",
                                    "--nemesis-interval",
                                    "2",
                                    "--for",
                                    "5",
                                    "--record",
                                    (dir / "history.jsonl").string()},
                                   std::chrono::seconds(60));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  ASSERT_EQ(run(std::string(FAULTLINE_BINARY) + " report " + dir.string() + " > /dev/null"), 2);

  test::PageLoad load = test::load_page(chromium, "file://" + (dir / "report.html").string());
  expect_clean_load(load);
  auto anomalies = load.dom.find("id=\"anomalies\"");
  ASSERT_NE(anomalies, std::string::npos);
  std::string section =
      load.dom.substr(anomalies, load.dom.find("</section>", anomalies) - anomalies);
  EXPECT_NE(section.find("id=\"clock-plot\""), std::string::npos);
  // n2: 0 before the bump, ~5000 ms while skewed (start, a sample each second), 0 after reset.
  std::smatch m;
  std::regex row(
      "<td>n2</td><td class=\"num\">([0-9]+)</td><td class=\"num\">(-?[0-9.e+]+) ms</td>"
      "<td class=\"num\">(-?[0-9.e+]+) ms</td>");
  ASSERT_TRUE(std::regex_search(section, m, row)) << section;
  EXPECT_GE(std::stoi(m[1]), 4);
  EXPECT_NEAR(std::stod(m[2]), 0, 200);
  EXPECT_NEAR(std::stod(m[3]), 5000, 200);
  // The untouched nodes were measured too (the samples), near 0.
  EXPECT_NE(section.find("<td>n1</td>"), std::string::npos);
}

TEST(ReportInChromium, InvalidCheckNamesTheOffendingRead) {
  REQUIRE_CHROMIUM(chromium);
  test::TempDir dir;
  fs::path out = dir.path() / "out";
  std::string history =
      std::string(FAULTLINE_SHARED_DIR) + "/histories/porcupine/jepsen/etcd_000.log";
  ASSERT_EQ(
      run(std::string(FAULTLINE_BINARY) + " check " + history + " --model cas-register --out " +
          out.string() + " --junit " + (dir.path() / "junit.xml").string() + " > /dev/null"),
      1);
  auto results = boost::json::parse(test::read_file(out / "results.json")).as_object();
  const auto& culprit = results["partitions"]
                            .as_array()[0]
                            .as_object()
                            .at("explanation")
                            .as_object()
                            .at("culprit")
                            .as_object();
  std::string op(culprit.at("op").as_string());
  ASSERT_EQ(op.rfind("read ", 0), 0u) << "etcd_000's culprit is a read: " << op;
  EXPECT_NE(test::read_file(dir.path() / "junit.xml").find("<failure message=\"operation #"),
            std::string::npos);

  test::PageLoad load =
      test::load_page(chromium, "file://" + (out / "report.html").string(),
                      fs::path(FAULTLINE_ARTIFACTS_DIR) / "report-check-invalid.png");
  expect_clean_load(load);
  EXPECT_NE(load.dom.find("data-verdict=\"invalid\""), std::string::npos);
  std::string named =
      "Offending operation: process " + std::to_string(culprit.at("process").as_int64()) + " " + op;
  auto anomalies = load.dom.find("id=\"anomalies\"");
  ASSERT_NE(anomalies, std::string::npos);
  EXPECT_NE(load.dom.find(named, anomalies), std::string::npos) << named;
  EXPECT_NE(load.dom.find("class=\"mini-timeline\""), std::string::npos);
}

TEST(ReportInChromium, SetAndBankFindingsAreListed) {
  REQUIRE_CHROMIUM(chromium);
  using test::make_op;
  History set;
  set.source = "set.jsonl";
  set.ops = {make_op(0, OpType::kInvoke, 0, "add", 1, 1000),
             make_op(1, OpType::kOk, 0, "add", 1, 2000),
             make_op(2, OpType::kInvoke, 0, "add", 2, 3000),
             make_op(3, OpType::kOk, 0, "add", 2, 4000),
             make_op(4, OpType::kInvoke, 1, "read", nullptr, 5000),
             make_op(5, OpType::kOk, 1, "read", boost::json::array{1, 99}, 6000)};
  set.ops[4].extra["final"] = true;
  History bank;
  bank.ops = {make_op(0, OpType::kInvoke, 2, "read", nullptr, 1000),
              make_op(1, OpType::kOk, 2, "read", {{"a", 5}, {"b", 4}}, 2000)};
  boost::json::object results = {
      {"checkers",
       {{"set", check_set(set).to_json()},
        {"bank", check_bank(bank, BankCheckOptions{{"a", "b"}, 10, false, 10}).to_json()}}}};
  test::TempDir dir;
  std::ofstream history(dir.path() / "history.jsonl");
  write_jsonl(set, history);
  history.close();
  test::write_file(dir.path() / "results.json", boost::json::serialize(results));
  ASSERT_EQ(run(std::string(FAULTLINE_BINARY) + " report " + dir.path().string() + " > /dev/null"),
            1);

  test::PageLoad load =
      test::load_page(chromium, "file://" + (dir.path() / "report.html").string());
  expect_clean_load(load);
  auto anomalies = load.dom.find("id=\"anomalies\"");
  ASSERT_NE(anomalies, std::string::npos);
  std::string section =
      load.dom.substr(anomalies, load.dom.find("</section>", anomalies) - anomalies);
  EXPECT_NE(section.find("<strong>lost: </strong><span class=\"mono\">2</span>"), std::string::npos)
      << section;
  EXPECT_NE(section.find("<strong>unexpected: </strong><span class=\"mono\">99</span>"),
            std::string::npos);
  EXPECT_NE(section.find("Reads with a wrong total"), std::string::npos);
  EXPECT_NE(section.find("<td>9</td>"), std::string::npos) << "the observed total";
}

TEST(ReportInChromium, ClockOffsetsArePlottedWithTheAnomalies) {
  REQUIRE_CHROMIUM(chromium);
  test::TempDir dir;
  std::ofstream history(dir.path() / "history.jsonl");
  write_jsonl(test::clock_fault_history(), history);
  history.close();
  ASSERT_EQ(run(std::string(FAULTLINE_BINARY) + " report " + dir.path().string() + " > /dev/null"),
            2);

  test::PageLoad load = test::load_page(chromium, "file://" + (dir.path() / "report.html").string(),
                                        fs::path(FAULTLINE_ARTIFACTS_DIR) / "report-clock.png");
  expect_clean_load(load);
  auto anomalies = load.dom.find("id=\"anomalies\"");
  ASSERT_NE(anomalies, std::string::npos);
  std::string section =
      load.dom.substr(anomalies, load.dom.find("</section>", anomalies) - anomalies);
  EXPECT_NE(section.find("<div id=\"clock\" data-points=\"6\">"), std::string::npos) << section;
  EXPECT_NE(section.find("id=\"clock-plot\""), std::string::npos);
  EXPECT_NE(section.find("<title>n2: 5000 ms at"), std::string::npos) << "a point per measurement";
  // Per node: measurements, min and max offset.
  EXPECT_NE(section.find("<td>n2</td><td class=\"num\">5</td><td class=\"num\">0.3 ms</td><td "
                         "class=\"num\">5001 ms</td>"),
            std::string::npos)
      << section;
  EXPECT_NE(section.find("<td>n1</td><td class=\"num\">1</td><td class=\"num\">-0.3 ms</td>"),
            std::string::npos);
}

TEST(ServeInChromium, IndexListsRunsAndOpensTheirReports) {
  REQUIRE_CHROMIUM(chromium);
  test::TempDir dir;
  fs::path run_dir = dir.path() / "store" / "etcd-register" / "20250102T030405";
  fs::create_directories(run_dir);
  make_run(run_dir);
  ServeProcess serve(dir.path() / "store");
  ASSERT_GT(serve.port(), 0) << "serve printed no address";
  std::string base = "http://127.0.0.1:" + std::to_string(serve.port());

  test::PageLoad index = test::load_page(chromium, base + "/", std::nullopt, 1280, 800, false);
  expect_clean_load(index);
  EXPECT_NE(index.dom.find("href=\"/runs/etcd-register/20250102T030405/report.html\""),
            std::string::npos);
  EXPECT_NE(index.dom.find("<td class=\"verdict\">invalid</td>"), std::string::npos);

  test::PageLoad report =
      test::load_page(chromium, base + "/runs/etcd-register/20250102T030405/report.html",
                      std::nullopt, 1280, 800, false);
  expect_clean_load(report);
  EXPECT_NE(report.dom.find("data-verdict=\"invalid\""), std::string::npos);
  EXPECT_EQ(serve.stop(), 0);
}

// A run in progress, as `faultline test` leaves its directory mid-run (a fresh online.json, a
// history whose last line is half written), with values that try to break out of the page.
TEST(ServeInChromium, TheLiveViewOfARunningRunRedrawsFromLiveJson) {
  REQUIRE_CHROMIUM(chromium);
  test::TempDir dir;
  fs::path run_dir = dir.path() / "store" / "etcd-live" / "20250104T000000";
  History h = test::hostile_history(400);
  for (Operation& op : h.ops) op.time *= 2000;  // over about 5 s: lines, not dots
  std::ostringstream history;
  write_jsonl(h, history);
  test::write_file(run_dir / "history.jsonl", history.str() + R"({"index": 9999, "ty)");
  test::write_file(run_dir / "test.json", R"({"name": "etcd <img src=x onerror=alert(1)>"})");
  test::write_file(run_dir / "online.json",
                   R"({"schema": "faultline.online/1", "state": "running", "elapsed_s": 3.5,
                       "verdict_so_far": "invalid", "unit": "keys", "valid": 5, "invalid": 1,
                       "unknown": 0, "pending": 2, "anomalies": {"<b>kind</b>": 1},
                       "operations": 800, "first_violation": {"kind": "nonlinearizable-key",
                       "reason": "<script>alert('reason')</script>", "operation": 5,
                       "time": 1000}})");
  ServeProcess serve(dir.path() / "store");
  ASSERT_GT(serve.port(), 0) << "serve printed no address";
  std::string base = "http://127.0.0.1:" + std::to_string(serve.port());

  test::PageLoad live =
      test::load_page(chromium, base + "/runs/etcd-live/20250104T000000/live",
                      fs::path(FAULTLINE_ARTIFACTS_DIR) / "live-run.png", 1280, 1400, false, 5000);
  expect_clean_load(live);
  EXPECT_NE(live.dom.find("data-polls=\""), std::string::npos) << "live.json was never fetched";
  EXPECT_NE(live.dom.find("class=\"banner invalid\""), std::string::npos);
  EXPECT_NE(live.dom.find("<span id=\"live-status\" class=\"status-running\">running</span>"),
            std::string::npos);
  EXPECT_NE(live.dom.find("<td>&lt;b&gt;kind&lt;/b&gt;</td>"), std::string::npos);
  EXPECT_NE(live.dom.find("&lt;script&gt;alert('reason')&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(live.dom.find("etcd &lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_EQ(live.dom.find("<img"), std::string::npos);
  EXPECT_EQ(live.dom.find("<b>kind"), std::string::npos);
  // Both plots drew lines: ok throughput, p50 and p99 latency.
  for (const char* series : {"data-series=\"ok\"", "data-series=\"p50\"", "data-series=\"p99\""})
    EXPECT_NE(live.dom.find(series), std::string::npos) << series;

  // Once it has finished, the index says so and the live view points at the report.
  test::write_file(run_dir / "results.json", R"({"verdict": "invalid"})");
  test::PageLoad finished = test::load_page(chromium, base + "/runs/etcd-live/20250104T000000/live",
                                            std::nullopt, 1280, 800, false);
  expect_clean_load(finished);
  EXPECT_NE(finished.dom.find("class=\"status-finished\">finished</span>"), std::string::npos);
  EXPECT_NE(finished.dom.find("href=\"/runs/etcd-live/20250104T000000/report.html\""),
            std::string::npos);
  EXPECT_EQ(serve.stop(), 0);
}

}  // namespace
}  // namespace faultline
