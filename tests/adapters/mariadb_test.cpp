// MariaDB on a local cluster of its own, through `faultline test` (needs root): asynchronous
// replicas serve stale reads that the register checker finds while primary reads stay
// linearizable, and a coordinated crash of a Galera cluster is recorded and every node comes
// back to answer the final reads; semi-sync records its silent fallback to asynchronous
// replication when the primary is cut off.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/local_cluster.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::Outcome;

const std::string kFaultline = FAULTLINE_BINARY;

boost::json::object results_of(const fs::path& run) {
  std::ifstream in(run / "results.json");
  return boost::json::parse(
             std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()))
      .as_object();
}

class Mariadb : public testing::LocalClusterTest {
 protected:
  void SetUp() override { start_cluster("fl-mariadb", 3); }
  Outcome run(std::vector<std::string> extra) {
    std::vector<std::string> argv{kFaultline, "test",          "--cluster", cluster_,
                                  "--store",  store_.string(), "--db",      "mariadb"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return testing::run(argv, 150s);
  }
};

TEST_F(Mariadb, ReplicaReadsAreStaleWhilePrimaryReadsAreLinearizable) {
  Outcome replica = run({"--workload", "register", "--time-limit", "6", "--seed", "1",
                         "--db-setting", "read-from=replica"});
  ASSERT_EQ(replica.exit_code, 1) << replica.out << replica.err;
  auto r = results_of(fs::canonical(store_ / "latest"));
  EXPECT_GT(r.at("tradeoff").at("stale_reads").to_number<std::int64_t>(), 0);
  EXPECT_GT(r.at("tradeoff").at("staleness_ms").at("max").to_number<double>(), 0.0);

  Outcome primary = run({"--workload", "register", "--time-limit", "6", "--seed", "1",
                         "--db-setting", "read-from=primary"});
  ASSERT_EQ(primary.exit_code, 0) << primary.out << primary.err;
  EXPECT_EQ(results_of(fs::canonical(store_ / "latest")).at("tradeoff").at("stale_reads"), 0);
}

TEST_F(Mariadb, GaleraComesBackFromACoordinatedCrash) {
  Outcome r = run({"--workload", "set", "--time-limit", "8", "--seed", "3", "--nemesis", "crash",
                   "--nemesis-interval", "3", "--db-setting", "replication=galera"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out << r.err;  // a set verdict
  const fs::path run_dir = fs::canonical(store_ / "latest");
  std::ifstream history(run_dir / "history.jsonl");
  bool crashed = false, restarted = false;
  for (std::string line; std::getline(history, line);) {
    if (line.find("\"start-crash\"") != std::string::npos) {
      auto value = boost::json::parse(line).at("value");
      crashed = value.at("nodes").as_object().size() == 3;
    }
    if (line.find("\"stop-crash\"") != std::string::npos &&
        line.find("[\"n1\",\"n2\",\"n3\"]") != std::string::npos)
      restarted = true;
  }
  EXPECT_TRUE(crashed) << "no start-crash on all three nodes";
  EXPECT_TRUE(restarted) << "no stop-crash restarting all three nodes";
  EXPECT_NE((r.out + r.err).find("cluster recovered"), std::string::npos) << r.out << r.err;
}

TEST_F(Mariadb, SemiSyncRecordsItsSilentFallbackWhenThePrimaryIsCutOff) {
  Outcome r = run({"--workload", "set", "--time-limit", "8", "--seed", "1", "--nemesis",
                   "partition", "--grudge", "primaries", "--nemesis-interval", "3", "--db-setting",
                   "replication=semi-sync"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out << r.err;  // a set verdict
  std::ifstream history(fs::canonical(store_ / "latest") / "history.jsonl");
  double cut_at = -1, fallback_at = -1;
  for (std::string line; std::getline(history, line);) {
    auto op = boost::json::parse(line).as_object();
    const std::string f(op.at("f").as_string());
    if (f == "start-partition" && cut_at < 0) cut_at = op.at("time").to_number<double>();
    if (f == "semi-sync-fallback" && cut_at >= 0 && fallback_at < 0) {
      fallback_at = op.at("time").to_number<double>();
      EXPECT_EQ(op.at("value").at("node"), "n1");
      EXPECT_GE(op.at("value").at("no_tx").to_number<std::int64_t>(), 0);
    }
  }
  ASSERT_GE(cut_at, 0) << "no partition in the history";
  ASSERT_GE(fallback_at, 0) << "no semi-sync-fallback after the primary was cut off";
  // rpl_semi_sync_master_timeout is 1 s; the monitor polls every 200 ms.
  EXPECT_LT((fallback_at - cut_at) / 1e9, 3.0);
}

}  // namespace
}  // namespace faultline
