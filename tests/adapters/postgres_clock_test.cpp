// `faultline test --db postgres --nemesis clock` on a local cluster of its own: PostgreSQL
// runs under libfaketime, so the clock fault's offset shows in what now() returns on the
// nodes it targets, and on no other; the run still ends with a verdict. While the run goes
// on, the test asks every node for now() over libpq, and compares the answers with the
// start-clock operations in the history.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "adapters/postgres/pg_connection.h"
#include "remote/local_cluster.h"
#include "tests/support/local_cluster.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Sample {
  std::string node;
  double skew_ms;  // the node's now() minus the controller's clock
};

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Asks every node for now() every 50 ms until stopped, from a thread of its own.
class NowPoller {
 public:
  explicit NowPoller(const std::vector<remote::NodeStatus>& nodes)
      : thread_([this, nodes] { poll(nodes); }) {}
  ~NowPoller() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::vector<Sample> samples() {
    std::lock_guard lock(mutex_);
    return samples_;
  }

 private:
  void poll(const std::vector<remote::NodeStatus>& nodes) {
    std::vector<std::unique_ptr<adapters::PgConnection>> connections;
    for (const auto& n : nodes)
      connections.push_back(
          std::make_unique<adapters::PgConnection>(adapters::PgEndpoint{n.name, n.address}, 300ms));
    while (!stop_) {
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        auto& c = *connections[i];
        if (!c.connect(nullptr)) continue;  // not started yet, or being torn down
        const std::int64_t before = wall_ms();
        adapters::PgResult r = c.exec("SELECT (extract(epoch FROM now()) * 1000)::bigint::text", {},
                                      adapters::PgConnection::Clock::now() + 300ms);
        const std::int64_t after = wall_ms();
        if (!r.ok() || r.rows.empty() || r.rows[0].empty() || !r.rows[0][0]) continue;
        const double skew = std::stod(*r.rows[0][0]) - static_cast<double>(before + after) / 2;
        std::lock_guard lock(mutex_);
        samples_.push_back({nodes[i].name, skew});
      }
      std::this_thread::sleep_for(50ms);
    }
  }

  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<Sample> samples_;
  std::thread thread_;  // last: starts after the members it uses
};

std::vector<boost::json::object> history_ops(const fs::path& history, const std::string& f) {
  std::vector<boost::json::object> out;
  std::ifstream in(history);
  for (std::string line; std::getline(in, line);) {
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) continue;
    const auto* name = v.as_object().if_contains("f");
    if (name && name->is_string() && name->as_string() == f) out.push_back(v.as_object());
  }
  return out;
}

class PostgresClock : public testing::LocalClusterTest {
 protected:
  void SetUp() override { start_cluster("fl-pgclk", 3); }
};

TEST_F(PostgresClock, ClockFaultShiftsNowOnTargetedNodesOnly) {
  const auto nodes = remote::cluster_status(cluster_).nodes;
  ASSERT_EQ(nodes.size(), 3u);
  testing::Subprocess run({FAULTLINE_BINARY, "test", "--cluster", cluster_, "--store",
                           store_.string(), "--db", "postgres", "--workload", "register",
                           "--nemesis", "clock", "--nemesis-interval", "2", "--time-limit", "6",
                           "--seed", "7"});
  NowPoller poller(nodes);
  testing::Outcome r = run.wait(60s);
  poller.stop();
  // A verdict (valid, invalid or unknown), not an error.
  ASSERT_GE(r.exit_code, 0) << r.err;
  ASSERT_LE(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("verdict:"), std::string::npos) << r.out;

  const fs::path history = fs::canonical(store_ / "latest") / "history.jsonl";
  EXPECT_FALSE(history_ops(history, "clock-offsets").empty());
  const auto starts = history_ops(history, "start-clock");
  ASSERT_FALSE(starts.empty()) << r.out;
  const auto& value = starts.front().at("value").as_object();
  EXPECT_EQ(value.at("strategy"), "faketime");
  const double offset = value.at("offset_ms").to_number<double>();
  ASSERT_GE(std::abs(offset), 2000) << "seed 7 should draw an offset of seconds";
  std::set<std::string> targets;
  for (const auto& t : value.at("targets").as_array()) targets.insert(std::string(t.as_string()));

  // Each targeted node answered now() with the offset at least once; the others never
  // strayed from the controller's clock. 500 ms covers a query's round trip on a busy box.
  std::map<std::string, int> shifted, strayed;
  std::size_t total = 0;
  for (const auto& s : poller.samples()) {
    ++total;
    if (std::abs(s.skew_ms - offset) < 500) ++shifted[s.node];
    if (std::abs(s.skew_ms) >= 500) ++strayed[s.node];
  }
  ASSERT_GT(total, 20u) << "too few answers from the nodes";
  for (const auto& n : nodes) {
    if (targets.count(n.name) > 0) {
      EXPECT_GT(shifted[n.name], 0) << n.name << " never showed the offset " << offset << " ms";
    } else {
      EXPECT_EQ(strayed[n.name], 0) << n.name << " was not targeted but its now() moved";
    }
  }
}

}  // namespace
}  // namespace faultline
