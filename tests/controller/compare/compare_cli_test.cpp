// `faultline compare` refuses modes a store does not have, or that need replicas the cluster
// lacks, with one line and exit 64, before anything runs.

#include <gtest/gtest.h>

#include <algorithm>

#include "controller/compare/modes.h"
#include "controller/errors.h"
#include "tests/support/subprocess.h"

namespace faultline {
namespace {

const std::string kFaultline = FAULTLINE_BINARY;

testing::Outcome compare(std::vector<std::string> args) {
  std::vector<std::string> argv{kFaultline, "compare", "--store", "/nonexistent/faultline-store"};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::run(argv, std::chrono::seconds(30));
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(CompareCli, AnOptionTheStoreDoesNotHaveIsRefused) {
  auto r = compare({"--db", "etcd", "--modes", "read-consistency=linearizable,read-from=replica",
                    "--nodes", "192.0.2.1,192.0.2.2,192.0.2.3"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("etcd has no option 'read-from'"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST(CompareCli, AValueTheOptionDoesNotTakeIsRefused) {
  auto r =
      compare({"--db", "etcd", "--modes", "read-consistency=eventual", "--nodes", "192.0.2.1"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("linearizable or serializable"), std::string::npos) << r.err;
}

TEST(CompareCli, ReplicaReadsOnASingleNodeAreRefused) {
  auto r = compare(
      {"--db", "redis", "--modes", "read-from=primary,read-from=replica", "--nodes", "192.0.2.1"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("'read-from=replica' needs 1 replica"), std::string::npos) << r.err;
}

TEST(CompareCli, WaitingForMoreReplicasThanExistIsRefused) {
  auto r = compare({"--db", "redis", "--modes", "wait=3", "--nodes", "192.0.2.1,192.0.2.2"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("needs 3 replicas"), std::string::npos) << r.err;
}

TEST(CompareModes, ParsesCombinedOptionsAndMapsThemOntoTheRun) {
  auto modes = parse_modes("redis", "read-from=replica+wait=1,read-from=primary");
  ASSERT_EQ(modes.size(), 2u);
  EXPECT_EQ(modes[0].nodes_needed, 2u);
  TestConfig base;
  base.db = "redis";
  TestConfig c = apply_mode(base, modes[0]);
  EXPECT_EQ(c.db_settings.at("read-from"), "replica");
  EXPECT_EQ(c.db_settings.at("wait"), "1");
  EXPECT_EQ(mode_text(c), "read-from=replica+wait=1");
  EXPECT_NE(apply_mode(base, modes[0]).name, apply_mode(base, modes[1]).name);

  TestConfig e;
  e.db = "etcd";
  TestConfig s = apply_mode(e, parse_modes("etcd", "read-consistency=serializable")[0]);
  EXPECT_EQ(s.read_consistency, "serializable");
  EXPECT_TRUE(s.db_settings.empty());
  EXPECT_THROW(parse_modes("etcd", "read-consistency"), UsageError);
  EXPECT_THROW(parse_modes("etcd", "read-consistency=serializable+read-consistency=linearizable"),
               UsageError);
}

// `faultline test --db-setting` takes the same options as a mode, checked the same way.
TEST(DbSettings, SetTheStoresOptionsAndRefuseOthers) {
  TestConfig r;
  r.db = "redis";
  apply_db_settings(r, {"read-from=replica", "wait=1", "read-from=primary"});
  EXPECT_EQ(r.db_settings.at("read-from"), "primary");  // the last one wins
  EXPECT_EQ(r.db_settings.at("wait"), "1");
  TestConfig e;
  e.db = "etcd";
  apply_db_settings(e, {"read-consistency=serializable"});
  EXPECT_EQ(e.read_consistency, "serializable");
  EXPECT_TRUE(e.db_settings.empty());
  EXPECT_THROW(apply_db_settings(e, {"wait=1"}), UsageError);
  EXPECT_THROW(apply_db_settings(e, {"read-consistency"}), UsageError);
  EXPECT_THROW(apply_db_settings(r, {"wait=lots"}), UsageError);
}

}  // namespace
}  // namespace faultline
