// The live view of a run in progress (reports/live_run.h): what a run directory being written
// says so far, read from its files only: the online check's state from online.json, throughput
// and latency over time from the history so far (its torn last line dropped, not an error),
// and whether the run is running, was interrupted or has finished.

#include "reports/live_run.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>

#include "checker/history/input_error.h"
#include "checker/history/jsonl.h"
#include "reports/history_tail.h"
#include "tests/reports/test_support.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using test::make_op;

constexpr std::int64_t kMs = 1'000'000;

// Three bins of 1 s. Bin 0: three ok (10, 30 and 20 ms) and one fail. Bin 1: a partition
// starts (never stopped), an info, one ok (100 ms) and a read still in flight. Bin 2: a cas in
// flight. The read in flight's completion is the line being written: torn.
History running_history() {
  History h;
  h.ops = {make_op(0, OpType::kInvoke, 0, "write", 1, 100 * kMs),
           make_op(1, OpType::kOk, 0, "write", 1, 110 * kMs),
           make_op(2, OpType::kInvoke, 1, "read", nullptr, 200 * kMs),
           make_op(3, OpType::kOk, 1, "read", 1, 230 * kMs),
           make_op(4, OpType::kInvoke, 2, "write", 2, 300 * kMs),
           make_op(5, OpType::kFail, 2, "write", 2, 305 * kMs),
           make_op(6, OpType::kInvoke, 0, "read", nullptr, 500 * kMs),
           make_op(7, OpType::kOk, 0, "read", 1, 520 * kMs),
           make_op(8, OpType::kInfo, kNemesisProcess, "start-partition", "n1 cut off", 1000 * kMs),
           make_op(9, OpType::kInvoke, 1, "write", 3, 1200 * kMs),
           make_op(10, OpType::kInfo, 1, "write", 3, 1300 * kMs),
           make_op(11, OpType::kInvoke, 3, "read", nullptr, 1500 * kMs),
           make_op(12, OpType::kOk, 3, "read", 1, 1600 * kMs),
           make_op(13, OpType::kInvoke, 0, "read", nullptr, 1800 * kMs),
           make_op(14, OpType::kInvoke, 2, "cas", boost::json::array{2, 4}, 2100 * kMs)};
  return h;
}

// online.json as OnlineRun writes it mid-run, in state `state`.
std::string online_json(const std::string& state = "running") {
  boost::json::object first{
      {"kind", "nonlinearizable-key"},
      {"reason", "key 1 is not linearizable: operation 11 (read 1) cannot take effect"},
      {"operation", 11},
      {"time", 1600000000}};
  boost::json::object doc{{"schema", "faultline.online/1"},
                          {"state", state},
                          {"elapsed_s", 2.5},
                          {"checker", "linearizability (cas-register, per key)"},
                          {"verdict_so_far", "invalid"},
                          {"unit", "keys"},
                          {"valid", 3},
                          {"invalid", 1},
                          {"unknown", 0},
                          {"pending", 4},
                          {"anomalies", {{"nonlinearizable-key", 1}}},
                          {"operations", 15},
                          {"held_operations", 6},
                          {"finished", false},
                          {"first_violation", std::move(first)}};
  return boost::json::serialize(doc);
}

// A run directory as `faultline test` leaves it mid-run: test.json, online.json, and a history
// whose last line is half written.
fs::path make_running_run(const fs::path& store) {
  fs::path dir = store / "etcd-register" / "20261204T120000";
  test::write_file(dir / "test.json",
                   R"({"schema": "faultline.test/1", "name": "etcd-register",
                       "started": "2026-12-04T12:00:00+0000",
                       "db": {"name": "etcd", "version": "3.5.17"},
                       "config": {"db": "etcd", "workload": "register", "nemesis": ["partition"]},
                       "workload": {"name": "register", "keys": 8}})");
  std::ostringstream history;
  write_jsonl(running_history(), history);
  test::write_file(dir / "history.jsonl",
                   history.str() + R"({"index": 15, "type": "ok", "process": 0, "f": "re)");
  test::write_file(dir / "online.json", online_json());
  return dir;
}

void age(const fs::path& file, std::chrono::seconds by) {
  fs::last_write_time(file, fs::file_time_type::clock::now() - by);
}

std::vector<double> numbers(const boost::json::value& array) {
  std::vector<double> out;
  for (const auto& v : array.as_array()) out.push_back(v.is_null() ? -1 : v.to_number<double>());
  return out;
}

TEST(LiveRun, ARunningRunShowsItsOnlineStateAndTheHistorySoFarInBins) {
  test::TempDir tmp;
  fs::path dir = make_running_run(tmp.path());
  boost::json::object doc = live_run_json(dir);

  EXPECT_EQ(doc.at("schema"), "faultline.live/1");
  EXPECT_EQ(doc.at("status"), "running");
  EXPECT_LT(doc.at("quiet_s").to_number<double>(), 10);
  EXPECT_TRUE(doc.at("verdict").is_null());
  EXPECT_TRUE(doc.at("report").is_null());
  // elapsed_s: online.json's, plus the time since it was written.
  EXPECT_GE(doc.at("elapsed_s").to_number<double>(), 2.5);
  EXPECT_LT(doc.at("elapsed_s").to_number<double>(), 12.5);

  const auto& t = doc.at("test").as_object();
  EXPECT_EQ(t.at("name"), "etcd-register");
  EXPECT_EQ(t.at("database"), "etcd");
  EXPECT_EQ(t.at("workload"), "register");
  EXPECT_EQ(t.at("faults"), "partition");
  EXPECT_EQ(t.at("start_time"), "2026-12-04T12:00:00+0000");

  // online.json as written.
  const auto& online = doc.at("online").as_object();
  EXPECT_EQ(online.at("state"), "running");
  EXPECT_EQ(online.at("verdict_so_far"), "invalid");
  EXPECT_EQ(online.at("valid"), 3);
  EXPECT_EQ(online.at("invalid"), 1);
  EXPECT_EQ(online.at("pending"), 4);
  EXPECT_EQ(online.at("anomalies").at("nonlinearizable-key"), 1);
  EXPECT_EQ(online.at("first_violation").at("operation"), 11);
  // The operation that proved it, found in the history so far.
  const auto& op = doc.at("first_violation_op").as_object();
  EXPECT_EQ(op.at("index"), 11);
  EXPECT_EQ(op.at("process"), 3);
  EXPECT_EQ(op.at("text"), "read → 1");

  // The torn line is dropped, not an error.
  EXPECT_FALSE(doc.contains("history_error")) << doc.at("history_error");
  const auto& h = doc.at("history").as_object();
  EXPECT_EQ(h.at("records"), 15);
  EXPECT_EQ(h.at("operations"), 8);
  EXPECT_EQ(h.at("completed"), 6);
  EXPECT_EQ(h.at("torn_last_line"), true);
  EXPECT_EQ(h.at("last_time_ms").to_number<double>(), 2100);

  const auto& bins = doc.at("over_time").as_object();
  EXPECT_EQ(bins.at("bin_ms").to_number<double>(), 1000);
  EXPECT_EQ(numbers(bins.at("ok")), (std::vector<double>{3, 1, 0}));
  EXPECT_EQ(numbers(bins.at("fail")), (std::vector<double>{1, 0, 0}));
  EXPECT_EQ(numbers(bins.at("info")), (std::vector<double>{0, 1, 0}));
  EXPECT_EQ(numbers(bins.at("open")), (std::vector<double>{0, 1, 1}));
  // Nearest rank of {10, 20, 30}: p50 20, p99 30; no ok operation in bin 2 (null, -1 here).
  EXPECT_EQ(numbers(bins.at("p50_ms")), (std::vector<double>{20, 100, -1}));
  EXPECT_EQ(numbers(bins.at("p99_ms")), (std::vector<double>{30, 100, -1}));

  const auto& faults = doc.at("faults").as_array();
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0].at("kind"), "partition");
  EXPECT_EQ(faults[0].at("start_ms").to_number<double>(), 1000);
  EXPECT_EQ(faults[0].at("open"), true);
}

TEST(LiveRun, ARunWhoseOnlineJsonStoppedBeingRewrittenWasInterrupted) {
  test::TempDir tmp;
  fs::path dir = make_running_run(tmp.path());
  age(dir / "online.json", std::chrono::seconds(11));
  boost::json::object doc = live_run_json(dir);
  EXPECT_EQ(doc.at("status"), "interrupted");
  EXPECT_GE(doc.at("quiet_s").to_number<double>(), 11);
  EXPECT_EQ(doc.at("elapsed_s").to_number<double>(), 2.5) << "as last written";
  EXPECT_EQ(doc.at("online").at("verdict_so_far"), "invalid") << "what it wrote is still shown";
  EXPECT_EQ(numbers(doc.at("over_time").at("ok")), (std::vector<double>{3, 1, 0}));

  // Written 9 s ago: still running.
  age(dir / "online.json", std::chrono::seconds(9));
  EXPECT_EQ(live_run_json(dir).at("status"), "running");
}

TEST(LiveRun, WithoutOnlineJsonTheHistoryAndLogSayWhetherTheRunGoesOn) {
  test::TempDir tmp;
  fs::path dir = make_running_run(tmp.path());
  fs::remove(dir / "online.json");  // a workload without an online check
  boost::json::object doc = live_run_json(dir);
  EXPECT_EQ(doc.at("status"), "running");
  EXPECT_TRUE(doc.at("online").is_null());
  EXPECT_FALSE(doc.contains("first_violation_op"));
  EXPECT_EQ(doc.at("elapsed_s").to_number<double>(), 2.1) << "the history's last time";

  age(dir / "history.jsonl", std::chrono::seconds(61));
  age(dir / "test.json", std::chrono::seconds(120));
  EXPECT_EQ(live_run_json(dir).at("status"), "interrupted");
  test::write_file(dir / "faultline.log", "0.0 checking 15 history records\n");
  EXPECT_EQ(live_run_json(dir).at("status"), "running") << "the log was written just now";
}

TEST(LiveRun, ARunWithResultsHasFinishedWithItsVerdictAndReport) {
  test::TempDir tmp;
  fs::path dir = make_running_run(tmp.path());
  test::write_file(dir / "online.json", online_json("checked"));
  test::write_file(dir / "results.json", R"({"verdict": "invalid"})");
  age(dir / "online.json", std::chrono::seconds(3600));
  boost::json::object doc = live_run_json(dir);
  EXPECT_EQ(doc.at("status"), "finished");
  EXPECT_EQ(doc.at("verdict"), "invalid");
  EXPECT_EQ(doc.at("report"), "report.html");
  EXPECT_EQ(doc.at("online").at("state"), "checked");
}

TEST(LiveRun, ADirectoryWithNothingYetAndBrokenFilesStillAnswers) {
  test::TempDir tmp;
  fs::path dir = tmp.path() / "run";
  test::write_file(dir / "test.json", R"({"name": "x"})");
  boost::json::object doc = live_run_json(dir);
  EXPECT_EQ(doc.at("status"), "running") << "test.json was just written: setting up";
  EXPECT_TRUE(doc.at("history").is_null());
  EXPECT_TRUE(doc.at("elapsed_s").is_null());
  EXPECT_TRUE(doc.at("over_time").at("ok").as_array().empty());

  test::write_file(dir / "online.json", "{\"state\": ");
  test::write_file(dir / "history.jsonl", "{\"index\": 0}\n");
  doc = live_run_json(dir);
  EXPECT_TRUE(doc.at("online").is_null());
  EXPECT_TRUE(doc.at("online_error").is_string());
  EXPECT_TRUE(doc.at("history_error").is_string()) << "a malformed line that is not the last";
}

TEST(HistoryTail, ReadsOnlyWhatWasAppendedAndWaitsForAHalfWrittenLine) {
  test::TempDir tmp;
  const fs::path file = tmp.path() / "history.jsonl";
  std::ostringstream whole;
  write_jsonl(running_history(), whole);
  const std::string text = whole.str();
  const std::size_t cut = text.find('\n', text.size() / 2) + 20;  // in the middle of a line
  test::write_file(file, text.substr(0, cut));
  HistoryTail tail(file);
  tail.refresh();
  const std::size_t first = tail.history().ops.size();
  EXPECT_EQ(first, static_cast<std::size_t>(std::count(text.begin(), text.begin() + cut, '\n')));
  EXPECT_TRUE(tail.torn_last_line());

  {  // the rest of the line and of the history arrive
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out << text.substr(cut);
  }
  tail.refresh();
  EXPECT_FALSE(tail.torn_last_line());
  const History all = running_history();
  ASSERT_EQ(tail.history().ops.size(), all.ops.size());
  for (std::size_t i = 0; i < all.ops.size(); ++i) {
    EXPECT_EQ(tail.history().ops[i].index, all.ops[i].index);
    EXPECT_EQ(tail.history().ops[i].time, all.ops[i].time);
    EXPECT_EQ(tail.history().ops[i].line, i + 1) << "lines of the file, not of the piece read";
  }

  // A malformed line appended: an error naming its line; the history read so far stays.
  {
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out << "{\"index\": 15}\n";
  }
  try {
    tail.refresh();
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), all.ops.size() + 1);
  }
  EXPECT_EQ(tail.history().ops.size(), all.ops.size());

  // Rewritten shorter: read again from the start.
  test::write_file(file, text.substr(0, text.find('\n') + 1));
  tail.refresh();
  EXPECT_EQ(tail.history().ops.size(), 1u);
}

TEST(LiveRun, ATailKeptAcrossCallsGivesTheSameDocumentAsAWholeRead) {
  test::TempDir tmp;
  fs::path dir = make_running_run(tmp.path());
  HistoryTail tail(dir / "history.jsonl");
  live_run_json(dir, &tail);
  {  // the torn line is completed, and one more operation starts
    std::ofstream out(dir / "history.jsonl", std::ios::binary | std::ios::app);
    out << "ad\", \"value\": 1, \"time\": 2200000000}\n"
        << R"({"index": 16, "type": "invoke", "process": 0, "f": "read", "value": null, "time": 2300000000})"
        << "\n";
  }
  boost::json::object kept = live_run_json(dir, &tail);
  boost::json::object whole = live_run_json(dir);
  EXPECT_EQ(kept.at("history"), whole.at("history"));
  EXPECT_EQ(kept.at("over_time"), whole.at("over_time"));
  EXPECT_EQ(kept.at("history").at("records"), 17);
  EXPECT_EQ(kept.at("history").at("torn_last_line"), false);
  EXPECT_EQ(numbers(kept.at("over_time").at("ok")), (std::vector<double>{3, 2, 0}));
  EXPECT_EQ(numbers(kept.at("over_time").at("open")), (std::vector<double>{0, 0, 2}));
}

TEST(LivePage, ShowsTheDocumentPollsItsOriginOnlyAndKeepsValuesInert) {
  test::TempDir tmp;
  fs::path dir = make_running_run(tmp.path());
  test::write_file(dir / "test.json", R"({"name": "</script><script>alert(1)</script>"})");
  std::string page = render_live_page(live_run_json(dir));
  EXPECT_EQ(page.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.find("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"), std::string::npos);
  EXPECT_NE(page.find("<title>faultline live · &lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.find("id=\"faultline-live\""), std::string::npos);
  // Its scripts may fetch from the server that sent it, nothing else.
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(page.find("connect-src 'self'"), std::string::npos);
  EXPECT_NE(page.find("liveSibling('live.json')"), std::string::npos);
  EXPECT_EQ(page.find("innerHTML ="), std::string::npos) << "values go in as text only";
}

}  // namespace
}  // namespace faultline
