// The store index and the store server: runs listed with their verdicts, reports and
// files served, and nothing outside the store reachable.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "checker/history/jsonl.h"
#include "reports/store_index.h"
#include "reports/store_server.h"
#include "tests/reports/test_support.h"
#include "tests/support/http_get.h"

namespace faultline {
namespace {

// A store with two runs of one test and one of another; `latest` links to one of them.
void make_store(const std::filesystem::path& store) {
  auto run = [&](const std::string& name, const std::string& time, const std::string& verdict) {
    auto dir = store / name / time;
    std::ostringstream history;
    write_jsonl(test::hostile_history(12), history);
    test::write_file(dir / "history.jsonl", history.str());
    test::write_file(dir / "test.json",
                     R"({"name": ")" + name + R"(", "db": "etcd", "workload": "register",
                                        "nemesis": ["partition", "kill"], "duration_s": 12.5})");
    if (!verdict.empty())
      test::write_file(dir / "results.json", R"({"verdict": ")" + verdict + R"("})");
    return dir;
  };
  run("etcd-register", "20250102T030405", "invalid");
  auto latest = run("etcd-register", "20250103T000000", "valid");
  auto crashed = run("etcd-<set>", "20250101T000000", "");  // no results.json, long ago
  for (const char* file : {"history.jsonl", "test.json"}) {
    std::filesystem::last_write_time(
        crashed / file, std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
  }
  std::filesystem::create_directory_symlink(latest, store / "latest");
}

// A run still going: its history so far and online.json just rewritten, no results.json.
std::filesystem::path make_running_run(const std::filesystem::path& store) {
  auto dir = store / "etcd-live" / "20250104T000000";
  std::ostringstream history;
  write_jsonl(test::hostile_history(12), history);
  test::write_file(dir / "history.jsonl", history.str() + R"({"index": 99, "ty)");
  test::write_file(dir / "test.json", R"({"name": "etcd-live", "db": "etcd"})");
  test::write_file(dir / "online.json",
                   R"({"schema": "faultline.online/1", "state": "running", "elapsed_s": 1.5,
                       "verdict_so_far": "unknown", "unit": "keys", "valid": 2, "invalid": 0,
                       "unknown": 0, "pending": 6, "anomalies": {}, "operations": 30})");
  return dir;
}

TEST(StoreIndex, ListsEveryRunNewestFirstWithItsVerdict) {
  test::TempDir dir;
  make_store(dir.path());
  auto runs = scan_store(dir.path());
  ASSERT_EQ(runs.size(), 3u);  // `latest` is a link, not a fourth run
  EXPECT_EQ(runs[0].path, "etcd-register/20250103T000000");
  EXPECT_EQ(runs[0].start_time, "2025-01-03T00:00:00");
  EXPECT_EQ(runs[0].verdict, "valid");
  EXPECT_EQ(runs[0].faults, "partition,kill");
  EXPECT_EQ(runs[0].duration_s, 12.5);
  EXPECT_EQ(runs[1].verdict, "invalid");
  EXPECT_EQ(runs[2].name, "etcd-<set>");
  EXPECT_EQ(runs[2].verdict, "incomplete");
  EXPECT_EQ(runs[2].status, "interrupted");
  EXPECT_EQ(runs[0].status, "finished");
  std::string page = render_store_index(dir.path(), runs);
  EXPECT_EQ(page.find("etcd-<set>"), std::string::npos) << "names are escaped";
  EXPECT_NE(page.find("etcd-\\u003cset\\u003e"), std::string::npos);
  EXPECT_TRUE(scan_store(dir.path() / "missing").empty());
}

TEST(StoreServer, TargetsMapOnlyIntoTheStore) {
  EXPECT_EQ(store_relative_path("/runs/a/b/report.html?x=1"), "a/b/report.html");
  EXPECT_EQ(store_relative_path("/runs/a%20b/c"), "a b/c");
  EXPECT_EQ(store_relative_path("/runs/"), ".");
  EXPECT_EQ(store_relative_path("/runs/a/"), "a");
  for (const char* bad :
       {"/runs/../etc/passwd", "/runs/a/../../x", "/runs/%2e%2e/x", "/runs/a/%2E%2E/%2e%2e/x",
        "/runs/a%2f..%2f..%2fx", "/runs/a//b", "/runs/./a", "/runs/a%5c..%5cx", "/runs/a%00b",
        "/runs/%zz", "/etc/passwd", "/runs"}) {
    EXPECT_EQ(store_relative_path(bad), "") << bad;
  }
}

using Reply = testing::HttpReply;

Reply get(unsigned short port, const std::string& target) {
  return testing::http_get(port, target);
}

class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    make_store(dir_.path() / "store");
    test::write_file(dir_.path() / "secret.txt", "top secret");
    std::filesystem::create_directory_symlink(dir_.path(), dir_.path() / "store" / "escape");
    server_ = std::make_unique<StoreServer>(dir_.path() / "store", "127.0.0.1", 0);
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
  }
  test::TempDir dir_;
  std::unique_ptr<StoreServer> server_;
  std::thread thread_;
};

TEST_F(ServerFixture, ServesTheIndexReportsAndFiles) {
  Reply index = get(server_->port(), "/");
  EXPECT_EQ(index.status, 200u);
  EXPECT_NE(index.body.find("etcd-register/20250102T030405"), std::string::npos);
  Reply api = get(server_->port(), "/api/runs");
  EXPECT_EQ(boost::json::parse(api.body).as_array().size(), 3u);

  // The report is rendered on first request, then served from the run directory.
  Reply report = get(server_->port(), "/runs/etcd-register/20250102T030405/report.html");
  EXPECT_EQ(report.status, 200u);
  EXPECT_EQ(report.type, "text/html; charset=utf-8");
  EXPECT_NE(report.body.find("id=\"faultline-data\""), std::string::npos);
  EXPECT_TRUE(
      std::filesystem::exists(dir_.path() / "store/etcd-register/20250102T030405/report.html"));

  Reply history = get(server_->port(), "/runs/etcd-register/20250102T030405/history.jsonl");
  EXPECT_EQ(history.status, 200u);
  EXPECT_EQ(history.type, "text/plain; charset=utf-8");
  Reply listing = get(server_->port(), "/runs/etcd-register/");
  EXPECT_NE(listing.body.find("20250103T000000/"), std::string::npos);
  EXPECT_EQ(get(server_->port(), "/runs/latest/test.json").status,
            200u);  // a link inside the store
}

TEST_F(ServerFixture, ARunInProgressHasALiveViewAndNoHalfReport) {
  auto dir = make_running_run(dir_.path() / "store");
  const std::string run = "/runs/etcd-live/20250104T000000/";

  Reply live = get(server_->port(), run + "live.json");
  EXPECT_EQ(live.status, 200u);
  EXPECT_EQ(live.type, "application/json");
  EXPECT_EQ(live.cache_control, "no-store");
  auto doc = boost::json::parse(live.body).as_object();
  EXPECT_EQ(doc.at("status"), "running");
  EXPECT_EQ(doc.at("online").at("operations"), 30);
  EXPECT_EQ(doc.at("online").at("pending"), 6);
  EXPECT_EQ(doc.at("history").at("records"), 24) << "12 operations, the torn line dropped";
  EXPECT_EQ(doc.at("history").at("torn_last_line"), true);

  Reply page = get(server_->port(), run + "live");
  EXPECT_EQ(page.status, 200u);
  EXPECT_EQ(page.type, "text/html; charset=utf-8");
  EXPECT_EQ(page.cache_control, "no-store");
  EXPECT_NE(page.body.find("id=\"faultline-live\""), std::string::npos);
  EXPECT_NE(page.body.find("connect-src 'self'"), std::string::npos);

  // Its report would be rendered from half a history: the live view instead.
  Reply report = get(server_->port(), run + "report.html");
  EXPECT_EQ(report.status, 302u);
  EXPECT_EQ(report.location, run + "live");
  EXPECT_FALSE(std::filesystem::exists(dir / "report.html"));

  // The index lists it as running and links it to its live view.
  auto runs = boost::json::parse(get(server_->port(), "/api/runs").body).as_array();
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs[0].at("path"), "etcd-live/20250104T000000");
  EXPECT_EQ(runs[0].at("status"), "running");
  EXPECT_EQ(runs[1].at("status"), "finished");
  Reply index = get(server_->port(), "/");
  EXPECT_NE(index.body.find(R"("path":"etcd-live/20250104T000000")"), std::string::npos);
  EXPECT_NE(index.body.find(R"("status":"running")"), std::string::npos);
  EXPECT_NE(index.body.find("run.status === 'running' ? 'live'"), std::string::npos);

  // A finished run's live view says so and points at its report, which is served as before.
  Reply finished = get(server_->port(), "/runs/etcd-register/20250102T030405/live.json");
  EXPECT_EQ(boost::json::parse(finished.body).at("status"), "finished");
  EXPECT_EQ(boost::json::parse(finished.body).at("verdict"), "invalid");
  EXPECT_EQ(get(server_->port(), "/runs/etcd-register/20250102T030405/report.html").status, 200u);

  // Once online.json stops being rewritten (the run was killed), the report renders again,
  // with whatever the history holds.
  std::filesystem::last_write_time(
      dir / "online.json", std::filesystem::file_time_type::clock::now() - std::chrono::minutes(1));
  EXPECT_EQ(boost::json::parse(get(server_->port(), run + "live.json").body).at("status"),
            "interrupted");
  EXPECT_EQ(get(server_->port(), run + "report.html").status, 200u);

  // Not a run directory, or outside the store: no live view.
  EXPECT_EQ(get(server_->port(), "/runs/etcd-live/live.json").status, 404u);
  EXPECT_EQ(get(server_->port(), "/runs/live.json").status, 404u);
  EXPECT_EQ(get(server_->port(), "/runs/escape/live").status, 404u);
}

TEST_F(ServerFixture, NothingOutsideTheStoreIsReachable) {
  for (const char* target : {"/runs/../secret.txt", "/runs/%2e%2e/secret.txt",
                             "/runs/escape/secret.txt", "/runs/etcd-register/..%2f..%2fsecret.txt",
                             "/../secret.txt", "/secret.txt", "/runs/%2fetc%2fpasswd"}) {
    Reply r = get(server_->port(), target);
    EXPECT_EQ(r.status, 404u) << target;
    EXPECT_EQ(r.body.find("top secret"), std::string::npos) << target;
  }
}

}  // namespace
}  // namespace faultline
