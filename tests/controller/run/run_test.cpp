// `faultline test` end to end on a local cluster with etcd: the verdicts a user relies on,
// the run store, `analyze` after a SIGKILL, and refusals of bad configurations.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/local_cluster.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::Outcome;
using testing::Subprocess;

const std::string kFaultline = FAULTLINE_BINARY;

// A uniquely named local cluster and a temporary store, removed whatever happens.
class LocalClusterRun : public testing::LocalClusterTest {
 protected:
  void start(const std::string& tag, int nodes = 3) { start_cluster("fl-run-" + tag, nodes); }

  // `faultline test` on this cluster with the given extra arguments.
  Outcome test(std::vector<std::string> args, std::chrono::seconds timeout = 120s) {
    std::vector<std::string> argv{kFaultline, "test",    "--cluster",
                                  cluster_,   "--store", store_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run(argv, timeout);
  }

  fs::path latest() const { return fs::canonical(store_ / "latest"); }

  static boost::json::object read_json(const fs::path& file) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return boost::json::parse(text).as_object();
  }
};

TEST_F(LocalClusterRun, RegisterWithLinearizableReadsPassesUnderPartitionsAndKills) {
  start("lin");
  Outcome r = test({"--workload", "register", "--nemesis", "partition,kill", "--time-limit", "15",
                    "--nemesis-interval", "3", "--seed", "7"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("verdict: valid"), std::string::npos) << r.out;

  // The run store: every file, the results with performance figures, the nodes' logs.
  fs::path run = latest();
  for (const char* file : {"history.jsonl", "test.json", "results.json", "faultline.log"}) {
    EXPECT_TRUE(fs::exists(run / file)) << file;
  }
  EXPECT_TRUE(fs::exists(run / "nodes" / "n1" / "etcd.log"));
  auto results = read_json(run / "results.json");
  EXPECT_EQ(results.at("verdict"), "valid");
  EXPECT_GT(results.at("performance").at("throughput_ops_s").to_number<double>(), 10.0);
  EXPECT_TRUE(results.at("performance").at("latency_ms").as_object().contains("p99"));
  // Convergence reads after the final heal: every key read on every node until they agree.
  const auto& tradeoff = results.at("tradeoff");
  EXPECT_EQ(tradeoff.at("converged"), boost::json::value(true)) << boost::json::serialize(tradeoff);
  EXPECT_TRUE(tradeoff.at("convergence_ms").is_number());
  auto config = read_json(run / "test.json");
  EXPECT_EQ(config.at("seed"), 7);
  EXPECT_EQ(config.at("db").at("version"), "3.4.23");
  EXPECT_EQ(config.at("nodes").as_array().size(), 3u);
  // The nemesis did act: its faults are in the history.
  std::ifstream history(run / "history.jsonl");
  std::string text((std::istreambuf_iterator<char>(history)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"start-"), std::string::npos);
}

TEST_F(LocalClusterRun, RegisterWithSerializableReadsIsCaughtReadingStaleValues) {
  start("ser");
  // Few keys and mostly reads, partitions only every 2 s: followers cut off from the leader
  // keep answering reads from their old state while the majority moves on.
  Outcome r = test({"--workload", "register", "--nemesis", "partition,kill", "--time-limit", "15",
                    "--nemesis-interval", "2", "--read-consistency", "serializable", "--keys", "2",
                    "--read-share", "0.7", "--seed", "3"});
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("verdict: invalid"), std::string::npos);
  // The explanation names a read of a value the register no longer held.
  EXPECT_NE(r.out.find("but the register holds"), std::string::npos) << r.out;
  EXPECT_EQ(read_json(latest() / "results.json").at("verdict"), "invalid");
}

TEST_F(LocalClusterRun, SetUnderPartitionsReportsWhatTheFinalReadsKept) {
  start("set");
  Outcome set = test({"--workload", "set", "--nemesis", "partition", "--time-limit", "10",
                      "--nemesis-interval", "2"});
  ASSERT_EQ(set.exit_code, 0) << set.out << set.err;
  EXPECT_NE(set.out.find("lost 0, unexpected 0"), std::string::npos) << set.out;
  auto results = read_json(latest() / "results.json");
  EXPECT_EQ(results.at("checker"), "set");
  EXPECT_EQ(results.at("final_reads"), 3);  // one per node, after healing
  EXPECT_EQ(results.at("lost").at("count"), 0);
  EXPECT_GT(results.at("acknowledged").to_number<int>(), 50);
}

TEST_F(LocalClusterRun, BankUnderPartitionsKeepsItsTotal) {
  start("bank");
  Outcome bank = test({"--workload", "bank", "--nemesis", "partition", "--time-limit", "10",
                       "--nemesis-interval", "2"});
  ASSERT_EQ(bank.exit_code, 0) << bank.out << bank.err;
  auto results = read_json(latest() / "results.json");
  EXPECT_EQ(results.at("checker"), "bank");
  EXPECT_EQ(results.at("wrong_total").at("count"), 0);
  EXPECT_EQ(results.at("negative").at("count"), 0);
  EXPECT_GT(results.at("reads").to_number<int>(), 50);
  EXPECT_GT(results.at("transfers").at("ok").to_number<int>(), 10);
}

TEST_F(LocalClusterRun, AControllerKilledMidRunLeavesAHistoryThatAnalyzeChecks) {
  start("kill");
  Subprocess controller({kFaultline, "test", "--cluster", cluster_, "--store", store_.string(),
                         "--workload", "register", "--nemesis", "partition", "--time-limit", "60",
                         "--nemesis-interval", "2"});
  // Wait until clients have been running for a while, then kill without warning.
  auto deadline = std::chrono::steady_clock::now() + 30s;
  fs::path history;
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    if (fs::exists(store_ / "latest" / "history.jsonl", ec) &&
        fs::file_size(store_ / "latest" / "history.jsonl", ec) > 200'000) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  ::kill(controller.pid(), SIGKILL);
  controller.wait(10s);
  fs::path run = latest();
  ASSERT_TRUE(fs::exists(run / "history.jsonl"));
  EXPECT_FALSE(fs::exists(run / "results.json"));

  Outcome analyzed = testing::run({kFaultline, "analyze", run.string()});
  EXPECT_EQ(analyzed.exit_code, 0) << analyzed.out << analyzed.err;
  EXPECT_NE(analyzed.out.find("verdict: valid"), std::string::npos) << analyzed.out;
  EXPECT_TRUE(fs::exists(run / "results.json"));
}

TEST(RunConfiguration, BadConfigurationsAreRefusedBeforeAnythingStarts) {
  fs::path store =
      fs::temp_directory_path() / ("faultline-badconfig-" + std::to_string(::getpid()));
  auto attempt = [&](std::vector<std::string> args) {
    std::vector<std::string> argv{kFaultline, "test", "--store", store.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run(argv, 60s);
  };
  auto one_line = [](const Outcome& o) {
    return !o.err.empty() && o.err.find('\n') == o.err.size() - 1;
  };
  Outcome db = attempt({"--db", "mongodb", "--nodes", "127.0.0.1"});
  EXPECT_EQ(db.exit_code, 64);
  EXPECT_TRUE(one_line(db)) << db.err;
  EXPECT_NE(db.err.find("unknown --db 'mongodb'"), std::string::npos) << db.err;

  Outcome workload = attempt({"--workload", "queue", "--nodes", "127.0.0.1"});
  EXPECT_EQ(workload.exit_code, 64);
  EXPECT_NE(workload.err.find("unknown workload 'queue'"), std::string::npos) << workload.err;

  // --db-setting: the options and values `compare --modes` accepts, nothing else.
  Outcome setting = attempt({"--db-setting", "read-from=replica", "--nodes", "127.0.0.1"});
  EXPECT_EQ(setting.exit_code, 64);
  EXPECT_TRUE(one_line(setting)) << setting.err;
  EXPECT_NE(
      setting.err.find("--db-setting: etcd has no option 'read-from' (it has: read-consistency)"),
      std::string::npos)
      << setting.err;
  Outcome value =
      attempt({"--db", "redis", "--db-setting", "read-from=anywhere", "--nodes", "127.0.0.1"});
  EXPECT_EQ(value.exit_code, 64);
  EXPECT_TRUE(one_line(value)) << value.err;
  EXPECT_NE(value.err.find("redis read-from cannot be 'anywhere' (expected primary or replica)"),
            std::string::npos)
      << value.err;

  Outcome nemesis = attempt({"--nemesis", "partition,meteor", "--nodes", "127.0.0.1"});
  EXPECT_EQ(nemesis.exit_code, 64);
  EXPECT_NE(nemesis.err.find("meteor"), std::string::npos) << nemesis.err;
  Outcome grudge =
      attempt({"--nemesis", "partition", "--grudge", "thirds", "--nodes", "127.0.0.1"});
  EXPECT_EQ(grudge.exit_code, 64);
  EXPECT_TRUE(one_line(grudge)) << grudge.err;
  EXPECT_NE(grudge.err.find("unknown --grudge 'thirds' (known: halves,"), std::string::npos)
      << grudge.err;
  Outcome no_partition = attempt({"--nemesis", "kill", "--grudge", "one", "--nodes", "127.0.0.1"});
  EXPECT_EQ(no_partition.exit_code, 64);
  EXPECT_NE(no_partition.err.find("--nemesis has no partition"), std::string::npos)
      << no_partition.err;

  // Port 1 on this machine refuses at once: the node is unreachable.
  Outcome unreachable = attempt({"--nodes", "127.0.0.1", "--ssh-port", "1", "--time-limit", "5"});
  EXPECT_EQ(unreachable.exit_code, 69);
  EXPECT_TRUE(one_line(unreachable)) << unreachable.err;
  EXPECT_NE(unreachable.err.find("n1"), std::string::npos) << unreachable.err;

  EXPECT_FALSE(fs::exists(store)) << "nothing may start, not even a run directory";
  std::error_code ec;
  fs::remove_all(store, ec);
}

}  // namespace
}  // namespace faultline
