// MariaDB on a local cluster of its own, through `faultline test` (needs root): asynchronous
// replicas serve stale reads that the register checker finds while primary reads stay
// linearizable, and a coordinated crash of a Galera cluster is recorded and every node comes
// back to answer the final reads; semi-sync records its silent fallback to asynchronous
// replication when the primary is cut off; with failover=manual a partition that isolates the
// primary makes the monitor promote a replica, and the writes the old primary acknowledged
// that the new one never received are named lost by the set checker.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

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

TEST_F(Mariadb, ManualFailoverAfterAPartitionOfThePrimaryAndItsLostWritesAreNamed) {
  // One cut of n1 (the primaries grudge) from 5 s to 10 s; the monitor needs 3 s of the
  // replicas' silence, so it decides inside the cut. A rate the replicas' single applier
  // keeps up with: the promotion waits until the new primary applied what it received.
  Outcome r = run({"--workload", "set", "--time-limit", "12", "--seed", "1", "--rate", "300",
                   "--nemesis", "partition", "--grudge", "primaries", "--nemesis-interval", "5",
                   "--db-setting", "replication=async", "--db-setting", "failover=manual"});
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out << r.err;  // a set verdict
  const fs::path run_dir = fs::canonical(store_ / "latest");

  std::string partition;
  boost::json::object failover;
  double cut_at = -1, failover_at = -1;
  std::set<std::int64_t> added, acknowledged;
  std::map<std::string, std::set<std::int64_t>> final_reads;  // by the node that served it
  {
    std::ifstream history(run_dir / "history.jsonl");
    std::map<std::int64_t, bool> final_process;  // process -> its read in flight is final
    for (std::string line; std::getline(history, line);) {
      auto op = boost::json::parse(line).as_object();
      const std::string f(op.at("f").as_string());
      if (f == "start-partition" && partition.empty()) {
        partition = line;
        cut_at = op.at("time").to_number<double>();
      }
      if (f == "failover" && failover.empty()) {
        failover = op.at("value").as_object();
        failover_at = op.at("time").to_number<double>();
      }
      if (!op.at("process").is_number()) continue;  // nemesis and monitor
      const auto process = op.at("process").to_number<std::int64_t>();
      if (op.at("type") == "invoke") {
        final_process[process] = op.contains("final");
        if (f == "add") added.insert(op.at("value").to_number<std::int64_t>());
      } else if (op.at("type") == "ok" && f == "add") {
        acknowledged.insert(op.at("value").to_number<std::int64_t>());
      } else if (op.at("type") == "ok" && f == "read" && final_process[process] &&
                 op.contains("node")) {
        auto& elements = final_reads[std::string(op.at("node").as_string())];
        for (const auto& e : op.at("value").as_array())
          elements.insert(e.to_number<std::int64_t>());
      }
    }
  }
  ASSERT_FALSE(partition.empty()) << "no partition in the history";
  auto drops = boost::json::parse(partition).at("value").at("drops");
  ASSERT_TRUE(drops.as_object().contains("n2") && drops.at("n2").as_array().size() == 1 &&
              drops.at("n2").at(0) == "n1")
      << "the primaries grudge did not isolate n1, the initial primary: " << partition;

  // The failover: from n1, to a replica, while n1 was cut off, n1 fenced read-only.
  ASSERT_FALSE(failover.empty()) << "no failover recorded after the primary was cut off";
  EXPECT_EQ(failover.at("from"), "n1");
  const std::string promoted(failover.at("to").as_string());
  EXPECT_TRUE(promoted == "n2" || promoted == "n3") << promoted;
  EXPECT_EQ(failover.at("fenced"), "read_only");
  EXPECT_EQ(failover.at("lost_by").as_array().size(), 2u) << boost::json::serialize(failover);
  // Decided 3 s after the replicas last received (+ polling), then promoted in took_ms.
  const double decided_after_s =
      (failover_at - cut_at) / 1e9 - failover.at("took_ms").to_number<double>() / 1e3;
  EXPECT_GT(decided_after_s, 2.5);
  EXPECT_LT(decided_after_s, 5.0);
  EXPECT_TRUE(failover.at("applied").as_bool());

  // What the promoted node never received is lost, and the set checker names it.
  auto results = results_of(run_dir);
  ASSERT_TRUE(final_reads.count(promoted)) << "no final read on " << promoted;
  std::vector<std::int64_t> missing;  // acknowledged, absent from the new primary
  for (std::int64_t e : acknowledged) {
    if (!final_reads[promoted].count(e)) missing.push_back(e);
  }
  const auto lost = results.at("lost").at("count").to_number<std::int64_t>();
  RecordProperty("lost_writes", std::to_string(lost));
  EXPECT_GE(lost, static_cast<std::int64_t>(missing.size()));
  if (lost > 0) {
    EXPECT_EQ(results.at("verdict"), "invalid");
    const auto& named = results.at("lost").at("elements").as_array();
    ASSERT_FALSE(named.empty());
    for (const auto& e : named)
      EXPECT_TRUE(added.count(e.to_number<std::int64_t>())) << e << " was never added";
    EXPECT_NE(r.out.find("lost " + std::to_string(lost)), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace faultline
