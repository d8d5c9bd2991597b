// `faultline compare --db postgres` on a 2-node local cluster of its own (a primary and one
// streaming standby), register reads served by the standby: with
// synchronous_commit=remote_apply a commit is acknowledged only once the standby applied it,
// so every process reads its own writes; with synchronous_commit=off the standby lags behind
// and processes read values older than the ones they just wrote. Directions, not numbers.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "tests/support/local_cluster.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kFaultline = FAULTLINE_BINARY;

// Reads that missed the reading process's own earlier write: the read returned null, or a
// value whose write completed before the process invoked its own write of that key (values
// are unique per key, so the value names its write).
std::size_t read_your_writes_violations(const fs::path& history) {
  struct Write {
    std::int64_t invoked = 0, completed = 0;
  };
  std::map<std::pair<std::string, std::string>, Write> by_value;  // (key, value) -> write
  std::map<std::pair<std::int64_t, std::string>, Write> own;      // (process, key) -> last own
  std::map<std::int64_t, boost::json::object> open;               // process -> invocation
  std::vector<std::tuple<std::int64_t, std::string, std::string, std::int64_t>> reads;
  std::ifstream in(history);
  for (std::string line; std::getline(in, line);) {
    auto op = boost::json::parse(line).as_object();
    const std::int64_t process = op.at("process").to_number<std::int64_t>();
    if (process < 0) continue;  // the nemesis
    if (op.at("type") == "invoke") {
      open[process] = op;
      continue;
    }
    boost::json::object invoke = open[process];
    if (op.at("type") != "ok" || !invoke.contains("key")) continue;
    const std::string key = boost::json::serialize(invoke.at("key"));
    const std::string f(invoke.at("f").as_string());
    const Write w{invoke.at("time").to_number<std::int64_t>(),
                  op.at("time").to_number<std::int64_t>()};
    if (f == "write" || f == "cas") {
      const auto& v = f == "write" ? invoke.at("value") : invoke.at("value").as_array()[1];
      by_value[{key, boost::json::serialize(v)}] = w;
      own[{process, key}] = w;
    } else if (f == "read") {
      auto mine = own.find({process, key});
      if (mine == own.end()) continue;
      reads.emplace_back(process, key, boost::json::serialize(op.at("value")),
                         mine->second.invoked);
    }
  }
  std::size_t violations = 0;
  for (const auto& [process, key, value, own_invoked] : reads) {
    auto writer = by_value.find({key, value});
    if (writer == by_value.end() || writer->second.completed < own_invoked) ++violations;
  }
  return violations;
}

class PostgresCompare : public testing::LocalClusterTest {
 protected:
  void SetUp() override { start_cluster("fl-pgcmp", 2); }
};

TEST_F(PostgresCompare, RemoteApplyStandbyReadsSeeTheirOwnWritesAndAsynchronousOnesDoNot) {
  auto r = testing::run({kFaultline, "compare", "--cluster", cluster_, "--store", store_.string(),
                         "--db", "postgres", "--modes",
                         "read-from=standby+synchronous-commit=remote_apply,"
                         "read-from=standby+synchronous-commit=off",
                         "--workload", "register", "--nemesis", "none", "--time-limit", "4",
                         "--seed", "11", "--json"},
                        120s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto modes = boost::json::parse(r.out).as_array();
  ASSERT_EQ(modes.size(), 2u);
  const auto& remote_apply = modes[0].as_object();
  const auto& off = modes[1].as_object();
  EXPECT_EQ(remote_apply.at("mode"), "read-from=standby+synchronous-commit=remote_apply");

  fs::path remote_apply_run(std::string(remote_apply.at("run").as_string()));
  fs::path off_run(std::string(off.at("run").as_string()));
  // Reads really were served by the standby (writes always go to the primary, n1).
  std::ifstream history(remote_apply_run / "history.jsonl");
  std::string text((std::istreambuf_iterator<char>(history)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"node\":\"n2\""), std::string::npos);

  EXPECT_EQ(read_your_writes_violations(remote_apply_run / "history.jsonl"), 0u);
  EXPECT_GT(read_your_writes_violations(off_run / "history.jsonl"), 0u);
  const double ra_max = remote_apply.at("staleness_ms").at("max").to_number<double>();
  const double off_max = off.at("staleness_ms").at("max").to_number<double>();
  EXPECT_GT(off_max, ra_max) << r.out;
}

}  // namespace
}  // namespace faultline
