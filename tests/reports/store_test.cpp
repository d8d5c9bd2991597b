// The store index and the store server: runs listed with their verdicts, reports and
// files served, and nothing outside the store reachable.

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <thread>

#include "checker/history/jsonl.h"
#include "reports/store_index.h"
#include "reports/store_server.h"
#include "tests/reports/test_support.h"

namespace faultline {
namespace {

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

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
  run("etcd-<set>", "20250101T000000", "");  // crashed: no results.json
  std::filesystem::create_directory_symlink(latest, store / "latest");
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

struct Reply {
  unsigned status = 0;
  std::string type, body;
};

Reply get(unsigned short port, const std::string& target) {
  boost::asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(socket, req);
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  http::read(socket, buffer, parser);
  auto& res = parser.get();
  return {res.result_int(), std::string(res[http::field::content_type]), res.body()};
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
