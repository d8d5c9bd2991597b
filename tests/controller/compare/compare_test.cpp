// `faultline compare` end to end on a local cluster of its own: the directions of the
// measured trade-off (never exact numbers). etcd serializable reads under partitions are
// stale and not linearizable while linearizable reads are never stale and less available in
// time; Redis replica reads are stale while primary reads are not.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "tests/support/local_cluster.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kFaultline = FAULTLINE_BINARY;

// A uniquely named 3-node local cluster and a temporary store, removed whatever happens.
class CompareOnLocalCluster : public testing::LocalClusterTest {
 protected:
  void SetUp() override { start_cluster("fl-cmp", 3); }

  // compare --json on this cluster; the array it prints, one object per mode.
  boost::json::array compare(const std::string& db, const std::string& modes,
                             const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv{kFaultline,
                                  "compare",
                                  "--cluster",
                                  cluster_,
                                  "--store",
                                  store_.string(),
                                  "--db",
                                  db,
                                  "--modes",
                                  modes,
                                  "--workload",
                                  "register",
                                  "--nemesis",
                                  "partition",
                                  "--nemesis-interval",
                                  "3",
                                  "--time-limit",
                                  "12",
                                  "--seed",
                                  "42",
                                  "--json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto r = testing::run(argv, 150s);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(r.out, ec);
    EXPECT_FALSE(ec) << r.out << r.err;
    if (ec || !v.is_array()) return {};
    // The side-by-side page was written.
    EXPECT_NE(r.err.find("report: "), std::string::npos) << r.err;
    return v.as_array();
  }

  static double max_of(const boost::json::value& summary, const char* field) {
    return summary.at(field).at("max").to_number<double>();
  }
};

TEST_F(CompareOnLocalCluster, EtcdSerializableReadsAreStaleAndLinearizableOnesAreNot) {
  auto modes = compare("etcd", "read-consistency=linearizable,read-consistency=serializable");
  ASSERT_EQ(modes.size(), 2u);
  const auto& lin = modes[0].as_object();
  const auto& ser = modes[1].as_object();
  EXPECT_EQ(lin.at("mode"), "read-consistency=linearizable");
  EXPECT_EQ(lin.at("valid"), boost::json::value(true)) << boost::json::serialize(lin);
  EXPECT_EQ(max_of(lin, "staleness_ms"), 0.0);
  EXPECT_EQ(max_of(lin, "staleness_versions"), 0.0);
  EXPECT_EQ(ser.at("valid"), boost::json::value(false)) << boost::json::serialize(ser);
  EXPECT_GT(max_of(ser, "staleness_ms"), 0.0);
  EXPECT_GT(max_of(ser, "staleness_versions"), 0.0);
  EXPECT_GT(ser.at("anomalies").as_object().size(), 0u);
  // Under partitions a linearizable read on a cut-off node blocks until its timeout while a
  // serializable one is answered locally: in time, clients that wanted to read were served
  // less often with linearizable reads.
  const auto& lin_reads = lin.at("availability_by_f_in_faults").at("read");
  const auto& ser_reads = ser.at("availability_by_f_in_faults").at("read");
  ASSERT_TRUE(lin_reads.is_number() && ser_reads.is_number()) << boost::json::serialize(lin);
  EXPECT_LT(lin_reads.to_number<double>(), ser_reads.to_number<double>())
      << boost::json::serialize(lin) << "\n"
      << boost::json::serialize(ser);
  EXPECT_TRUE(lin.at("availability_in_faults").is_number());
  EXPECT_TRUE(ser.at("availability_outside_faults").is_number());
  // After the final heal every node agrees on every key (convergence reads).
  EXPECT_EQ(lin.at("converged"), boost::json::value(true)) << boost::json::serialize(lin);
  EXPECT_TRUE(lin.at("convergence_ms").is_number());
  for (const auto& m : modes) {
    EXPECT_TRUE(m.at("latency_ms").as_object().contains("p99"));
    // Each run's results.json carries the same summary.
    EXPECT_TRUE(fs::exists(fs::path(std::string(m.at("run").as_string())) / "results.json"));
  }
}

TEST_F(CompareOnLocalCluster, RedisReplicaReadsAreStaleAndPrimaryReadsAreNot) {
  // Redis answers in microseconds: a bounded rate keeps each run's history (and check) small.
  auto modes = compare("redis", "read-from=primary,read-from=replica", {"--rate", "1000"});
  ASSERT_EQ(modes.size(), 2u);
  const auto& primary = modes[0].as_object();
  const auto& replica = modes[1].as_object();
  EXPECT_EQ(max_of(primary, "staleness_ms"), 0.0) << boost::json::serialize(primary);
  EXPECT_EQ(primary.at("valid"), boost::json::value(true)) << boost::json::serialize(primary);
  EXPECT_GT(max_of(replica, "staleness_ms"), 0.0) << boost::json::serialize(replica);
  EXPECT_EQ(replica.at("valid"), boost::json::value(false));
}

}  // namespace
}  // namespace faultline
