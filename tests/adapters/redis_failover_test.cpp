// Redis with Sentinel failover on a local cluster of its own: a partition that cuts off the
// primary makes the majority's sentinels elect a new one, and the set workload's checker
// reports the writes the old primary acknowledged while cut off as lost, when that happens
// (it depends on which clients wrote there in the window). Needs root.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <vector>

#include "tests/support/local_cluster.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::Outcome;

const std::string kFaultline = FAULTLINE_BINARY;

std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A uniquely named 3-node cluster and a temporary store, removed whatever happens.
class RedisFailover : public testing::LocalClusterTest {
 protected:
  void SetUp() override { start_cluster("fl-sentinel", 3); }
};

TEST_F(RedisFailover, PartitionedPrimaryIsReplacedAndItsLostWritesAreReported) {
  // Every partition cuts the current primary (n1 at first) off from the others for 3 s.
  Outcome r = testing::run({kFaultline,
                            "test",
                            "--cluster",
                            cluster_,
                            "--store",
                            store_.string(),
                            "--db",
                            "redis",
                            "--workload",
                            "set",
                            "--failover",
                            "sentinel",
                            "--nemesis",
                            "partition",
                            "--grudge",
                            "primaries",
                            "--time-limit",
                            "6",
                            "--nemesis-interval",
                            "3",
                            "--seed",
                            "3",
                            "--rate",
                            "300"},
                           90s);
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out << r.err;  // a set verdict
  const fs::path run = fs::canonical(store_ / "latest");

  // The fault this test is about: n1 alone on its side.
  std::string partition;
  {
    std::ifstream history(run / "history.jsonl");
    for (std::string line; std::getline(history, line);) {
      if (line.find("start-partition") != std::string::npos) {
        partition = line;
        break;
      }
    }
  }
  auto drops = boost::json::parse(partition).at("value").at("drops");
  ASSERT_TRUE(drops.as_object().contains("n2") && drops.at("n2").as_array().size() == 1 &&
              drops.at("n2").at(0) == "n1")
      << "the primaries grudge did not isolate n1, the initial primary: " << partition;

  // Sentinel elected a new primary: a switch away from n1's address.
  const auto nodes =
      boost::json::parse(slurp("/var/lib/faultline/clusters/" + cluster_ + "/nodes.json"));
  std::string n1_host;
  for (const auto& n : nodes.at("nodes").as_array()) {
    if (n.at("name") == "n1") n1_host = std::string(n.at("host").as_string());
  }
  ASSERT_FALSE(n1_host.empty()) << boost::json::serialize(nodes);
  const std::regex switched("\\+switch-master faultline " +
                            std::regex_replace(n1_host, std::regex("\\."), "\\.") +
                            " 6379 (\\S+) 6379");
  std::smatch m;
  std::string sentinel_logs;
  for (const char* node : {"n1", "n2", "n3"})
    sentinel_logs += slurp(run / "nodes" / node / "sentinel.log");
  ASSERT_TRUE(std::regex_search(sentinel_logs, m, switched)) << sentinel_logs;
  EXPECT_NE(m[1].str(), n1_host);

  // Lost writes are reported exactly when acknowledged adds are missing from the final reads.
  auto results = boost::json::parse(slurp(run / "results.json")).as_object();
  const auto lost = results.at("lost").at("count").to_number<std::int64_t>();
  if (lost > 0) {
    EXPECT_EQ(results.at("verdict"), "invalid");
    EXPECT_NE(r.out.find("lost " + std::to_string(lost)), std::string::npos) << r.out;
  }
  std::vector<std::set<std::int64_t>> finals;  // each final read's elements
  std::set<std::int64_t> acknowledged;
  {
    std::ifstream history(run / "history.jsonl");
    std::map<std::int64_t, bool> final_process;  // process -> its read in flight is final
    for (std::string line; std::getline(history, line);) {
      auto op = boost::json::parse(line).as_object();
      if (!op.contains("f") || !op.at("process").is_number()) continue;  // nemesis
      const auto process = op.at("process").to_number<std::int64_t>();
      if (op.at("type") == "invoke") {
        final_process[process] = op.contains("final");
      } else if (op.at("type") == "ok" && op.at("f") == "add") {
        acknowledged.insert(op.at("value").to_number<std::int64_t>());
      } else if (op.at("type") == "ok" && op.at("f") == "read" && final_process[process]) {
        finals.emplace_back();
        for (const auto& e : op.at("value").as_array())
          finals.back().insert(e.to_number<std::int64_t>());
      }
    }
  }
  ASSERT_EQ(finals.size(), 3u);  // one per node, after recovery
  std::int64_t missing = 0;      // acknowledged, absent from some final read
  for (std::int64_t e : acknowledged) {
    for (const auto& f : finals) {
      if (!f.count(e)) {
        ++missing;
        break;
      }
    }
  }
  RecordProperty("lost_writes", std::to_string(lost));
  EXPECT_GE(lost, missing);
  if (missing > 0) {
    EXPECT_EQ(results.at("verdict"), "invalid");
  }
}

}  // namespace
}  // namespace faultline
