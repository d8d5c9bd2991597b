// `faultline test --stop-on-invalid` end to end on a local cluster with etcd: serializable
// reads under partitions read stale values; the online check proves the first one and the
// client phase ends within seconds of it, while healing, the final reads, the full offline
// check and the report still happen, and the online verdict equals the offline one. A bank run
// under partitions gets the same verdict online and offline, and `faultline serve`'s live view
// shows it while it runs.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "reports/store_server.h"
#include "tests/support/http_get.h"
#include "tests/support/local_cluster.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::Outcome;

const std::string kFaultline = FAULTLINE_BINARY;

class OnlineRunTest : public testing::LocalClusterTest {
 protected:
  static boost::json::object read_json(const fs::path& file) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return boost::json::parse(text).as_object();
  }
  // The history's records, by index.
  static std::vector<boost::json::object> read_history(const fs::path& file) {
    std::ifstream in(file);
    std::vector<boost::json::object> ops;
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) ops.push_back(boost::json::parse(line).as_object());
    }
    return ops;
  }
};

TEST_F(OnlineRunTest, SerializableReadsUnderPartitionsStopAtTheFirstStaleRead) {
  start_cluster("fl-online", 3);
  // As run_test.cpp's serializable run: few keys, mostly reads, a partition every 2 s. The time
  // limit is far beyond what the test waits for: the first stale read has to end the run.
  const double time_limit_s = 60;
  Outcome r = testing::run({kFaultline,
                            "test",
                            "--cluster",
                            cluster_,
                            "--store",
                            store_.string(),
                            "--workload",
                            "register",
                            "--nemesis",
                            "partition",
                            "--nemesis-interval",
                            "2",
                            "--read-consistency",
                            "serializable",
                            "--keys",
                            "2",
                            "--ops-per-key",
                            "20",
                            "--read-share",
                            "0.7",
                            "--time-limit",
                            "60",
                            "--seed",
                            "3",
                            "--stop-on-invalid"},
                           150s);
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;  // invalid, as without --stop-on-invalid
  EXPECT_NE(r.out.find("verdict: invalid"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("stopped early at"), std::string::npos) << r.out;

  const fs::path run = fs::canonical(store_ / "latest");
  const auto results = read_json(run / "results.json");
  EXPECT_EQ(results.at("verdict"), "invalid");
  ASSERT_TRUE(results.contains("stopped_early")) << boost::json::serialize(results);
  const auto& stopped = results.at("stopped_early").as_object();
  const std::int64_t at_ns = stopped.at("at_ns").as_int64();
  const std::int64_t operation = stopped.at("operation").as_int64();
  EXPECT_NE(std::string(stopped.at("reason").as_string()).find("is not linearizable"),
            std::string::npos);
  EXPECT_LT(static_cast<double>(at_ns), time_limit_s * 1e9 / 2) << "the run did not stop early";

  // The operation named is the invocation of a read the report names by that index (as the
  // offline explanation does), completed ok, and the stop came within seconds of its completion.
  const auto history = read_history(run / "history.jsonl");
  ASSERT_GE(operation, 0);
  ASSERT_LT(operation, static_cast<std::int64_t>(history.size()));
  const auto& proof = history[static_cast<std::size_t>(operation)];
  EXPECT_EQ(proof.at("index").as_int64(), operation);
  EXPECT_EQ(proof.at("type"), "invoke");
  EXPECT_EQ(proof.at("f"), "read");
  const boost::json::object* done = nullptr;
  for (std::size_t i = static_cast<std::size_t>(operation) + 1; i < history.size() && !done; ++i) {
    if (history[i].at("process") == proof.at("process")) done = &history[i];
  }
  ASSERT_TRUE(done) << "the read named never completed";
  EXPECT_EQ(done->at("type"), "ok");
  const std::int64_t proof_ns = done->at("time").as_int64();
  EXPECT_LE(proof_ns, at_ns);
  EXPECT_LT(at_ns - proof_ns, 5'000'000'000)
      << "stopped " << (at_ns - proof_ns) / 1e6 << " ms after the operation that proved it";
  // No client operation was invoked long after the stop: the client phase ended. (Final
  // reads after the heal carry "final": true.)
  for (const auto& op : history) {
    if (op.at("type") != "invoke" || op.contains("final") || op.at("process").is_string()) continue;
    EXPECT_LT(op.at("time").as_int64(), at_ns + 3'000'000'000) << boost::json::serialize(op);
  }

  // The phases after the clients still ran: the heal is recorded, the final reads, the report.
  EXPECT_TRUE(fs::exists(run / "report.html"));
  // The report says when and which operation, as a browser draws it (Debian's chromium).
  if (::access("/usr/bin/chromium", X_OK) == 0) {
    const fs::path dom = store_ / "report-dom.html";
    const std::string command =
        "timeout 90 /usr/bin/chromium --headless --no-sandbox --disable-gpu --no-first-run "
        "--disable-background-networking --user-data-dir=" +
        (store_ / "chromium").string() + " --dump-dom file://" + (run / "report.html").string() +
        " > " + dom.string() + " 2>/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    std::ifstream in(dom);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("Stopped early"), std::string::npos);
    EXPECT_NE(text.find("proved by operation #" + std::to_string(operation)), std::string::npos);
  }
  EXPECT_TRUE(results.at("tradeoff").as_object().contains("converged"));
  // The online verdict, written beside the offline one, equals it.
  const auto& online = results.at("online").as_object();
  EXPECT_EQ(online.at("verdict"), "invalid");
  EXPECT_GE(online.at("invalid").to_number<int>(), 1);
  EXPECT_EQ(online.at("first_violation").at("operation").as_int64(), operation);
  EXPECT_TRUE(fs::exists(run / "online.json"));
  // Every key the offline check found invalid was found invalid online too.
  std::size_t offline_invalid = 0;
  for (const auto& p : results.at("partitions").as_array()) {
    if (p.at("verdict") == "invalid") ++offline_invalid;
  }
  EXPECT_EQ(online.at("invalid").to_number<std::size_t>(), offline_invalid);
}

// While `faultline test` runs, the live view of `faultline serve` (a StoreServer on the same
// store, asked every 200 ms) lists the run as running and its live.json counts its operations.
class LiveWatcher {
 public:
  explicit LiveWatcher(const fs::path& store) : server_(store, "127.0.0.1", 0) {
    serving_ = std::thread([this] { server_.run(); });
    watching_ = std::thread([this] { watch(); });
  }
  ~LiveWatcher() { stop(); }
  void stop() {
    done_ = true;
    if (watching_.joinable()) watching_.join();
    server_.stop();
    if (serving_.joinable()) serving_.join();
  }
  // The most operations a live.json showed while its status and online state were "running".
  std::int64_t most_operations_running() const { return most_; }

 private:
  void watch() {
    while (!done_) {
      try {
        auto runs =
            boost::json::parse(testing::http_get(server_.port(), "/api/runs").body).as_array();
        for (const auto& run : runs) {
          if (run.at("status") != "running") continue;
          auto live = boost::json::parse(
              testing::http_get(server_.port(),
                                "/runs/" + std::string(run.at("path").as_string()) + "/live.json")
                  .body);
          const auto& online = live.at("online");
          if (live.at("status") == "running" && online.is_object() &&
              online.at("state") == "running")
            most_ = std::max(most_.load(), online.at("operations").to_number<std::int64_t>());
        }
      } catch (const std::exception&) {
        // a file replaced between listing and reading: the next round sees it
      }
      std::this_thread::sleep_for(200ms);
    }
  }
  StoreServer server_;
  std::atomic<bool> done_{false};
  std::atomic<std::int64_t> most_{0};
  std::thread serving_, watching_;
};

TEST_F(OnlineRunTest, BankUnderPartitionsGetsTheSameVerdictOnlineAndOffline) {
  start_cluster("fl-onbank", 3);
  LiveWatcher live(store_);
  Outcome r = testing::run(
      {kFaultline, "test", "--cluster", cluster_, "--store", store_.string(), "--workload", "bank",
       "--nemesis", "partition", "--nemesis-interval", "2", "--time-limit", "6"},
      120s);
  live.stop();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_GT(live.most_operations_running(), 0) << "live.json never showed the run going";
  const auto results = read_json(fs::canonical(store_ / "latest") / "results.json");
  const auto& online = results.at("online").as_object();
  EXPECT_EQ(online.at("verdict"), results.at("verdict"));
  EXPECT_EQ(online.at("checker"), "bank");
  // Every ok read, the final one included, was judged online, each at its completion.
  EXPECT_EQ(online.at("valid").to_number<int>(), results.at("reads").to_number<int>());
  EXPECT_EQ(online.at("pending"), 0);
  EXPECT_FALSE(results.contains("stopped_early"));
}

}  // namespace
}  // namespace faultline
