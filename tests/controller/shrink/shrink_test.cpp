// --schedule, replay and shrink end to end, each on a local cluster of its own: etcd's
// serializable reads under a storm of three faults shrink to fewer within a one-minute
// budget; a store described by a test file (examples/redis) replays a run's operation choices
// exactly and applies a schedule as written. Needs root, etcd, Redis, /usr/bin/python3 with
// python3-redis.

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
using testing::Outcome;

const std::string kFaultline = FAULTLINE_BINARY;
const fs::path kRedisFile = fs::path(FAULTLINE_SOURCE_DIR) / "examples" / "redis" / "redis.toml";

boost::json::object read_json(const fs::path& file) {
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return boost::json::parse(text).as_object();
}

// Each worker's invocations (f, key, value) in order; worker = process mod concurrency.
std::map<std::int64_t, std::vector<std::string>> invocations(const fs::path& run) {
  const std::int64_t concurrency = read_json(run / "test.json").at("concurrency").as_int64();
  std::map<std::int64_t, std::vector<std::string>> out;
  std::ifstream in(run / "history.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    auto op = boost::json::parse(line).as_object();
    if (op.at("type") != "invoke" || !op.at("process").is_int64()) continue;
    const std::int64_t process = op.at("process").as_int64();
    if (process >= 1'000'000'000) continue;  // setup and final reads
    out[process % concurrency].push_back(std::string(op.at("f").as_string()) + " " +
                                         boost::json::serialize(op.at("key")) + " " +
                                         boost::json::serialize(op.at("value")));
  }
  return out;
}

class ShrinkRun : public testing::LocalClusterTest {
 protected:
  Outcome faultline(std::vector<std::string> args, std::chrono::seconds timeout = 120s) {
    args.insert(args.begin(), kFaultline);
    return testing::run(args, timeout);
  }
  fs::path write(const std::string& name, const std::string& text) {
    fs::create_directories(store_);
    std::ofstream(store_ / name) << text;
    return store_ / name;
  }
  fs::path latest() const { return fs::canonical(store_ / "latest"); }
};

TEST_F(ShrinkRun, EtcdSerializableReadsUnderThreeFaultsShrinkToFewerWithinTheBudget) {
  start_cluster("shrink", 3);
  // A kill, a partition that cuts off n3, a pause: the storm of a random schedule, written out.
  fs::path schedule = write("storm.json", R"({"faults": [
    {"kind": "kill", "at_ms": 500, "duration_ms": 1000, "targets": ["n2"]},
    {"kind": "partition", "at_ms": 2000, "duration_ms": 2500, "grudge": "one",
     "drops": {"n3": ["n1", "n2"], "n1": ["n3"], "n2": ["n3"]}},
    {"kind": "pause", "at_ms": 5000, "duration_ms": 800, "targets": ["n1"]}]})");
  Outcome r =
      faultline({"test", "--cluster", cluster_, "--store", store_.string(), "--workload",
                 "register", "--read-consistency", "serializable", "--keys", "2", "--read-share",
                 "0.7", "--schedule", schedule.string(), "--time-limit", "6", "--seed", "3"});
  ASSERT_EQ(r.exit_code, 1) << r.out << r.err;
  const fs::path run = latest();
  // The run applied the schedule as written: the same faults on the same nodes, on time.
  auto applied = read_json(run / "schedule.json").at("faults").as_array();
  ASSERT_EQ(applied.size(), 3u);
  EXPECT_EQ(applied[0].at("kind"), "kill");
  EXPECT_EQ(applied[0].at("targets").as_array(), boost::json::array{"n2"});
  EXPECT_EQ(applied[1].at("drops").at("n3").as_array(), (boost::json::array{"n1", "n2"}));
  EXPECT_NEAR(applied[1].at("at_ms").to_number<double>(), 2000, 300);
  EXPECT_NEAR(applied[1].at("duration_ms").to_number<double>(), 2500, 300);
  EXPECT_EQ(applied[2].at("targets").as_array(), boost::json::array{"n1"});

  const auto started = std::chrono::steady_clock::now();
  Outcome s =
      faultline({"shrink", run.string(), "--budget", "1", "--runs-per-candidate", "1"}, 150s);
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(s.exit_code, 0) << s.out << s.err;
  EXPECT_LT(took, 75) << "the budget is 60 s";
  auto shrink = read_json(run / "shrink" / "shrink.json");
  EXPECT_EQ(shrink.at("schema"), "faultline.shrink/1");
  EXPECT_EQ(shrink.at("anomaly"), "stale reads");
  EXPECT_EQ(shrink.at("original").at("faults"), 3);
  EXPECT_LT(shrink.at("minimal").at("faults").to_number<int>(), 3) << s.err;
  EXPECT_TRUE(shrink.at("stop_on_invalid").as_bool());
  // Every step kept is backed by a run that showed stale reads.
  const auto& steps = shrink.at("steps").as_array();
  ASSERT_FALSE(steps.empty());
  bool kept = false;
  for (const auto& step : steps) {
    if (!step.at("accepted").as_bool()) continue;
    kept = true;
    const auto& runs = step.at("runs").as_array();
    ASSERT_FALSE(runs.empty());
    auto results = read_json(fs::path(std::string(runs.back().as_string())) / "results.json");
    EXPECT_TRUE(results.at("tradeoff").at("anomalies").as_object().contains("stale reads"));
  }
  EXPECT_TRUE(kept);
  // The minimal schedule as a file, the command that replays it, the page.
  EXPECT_TRUE(fs::exists(run / "shrink" / "minimal.schedule.json"));
  EXPECT_NE(std::string(shrink.at("minimal").at("command").as_string()).find("--schedule"),
            std::string::npos);
  std::ifstream page(run / "shrink" / "shrink.html");
  std::string html((std::istreambuf_iterator<char>(page)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("Minimal schedule"), std::string::npos);
  EXPECT_NE(html.find("report.html"), std::string::npos);  // links to the runs
}

TEST_F(ShrinkRun, ATestFileStoreReplaysItsOperationChoicesAndAppliesASchedule) {
  start_cluster("replay", 3);
  // No compare-and-set: every choice a worker makes then depends on the seed alone.
  const std::vector<std::string> common{"--test-file",  kRedisFile.string(),
                                        "--cluster",    cluster_,
                                        "--store",      store_.string(),
                                        "--workload",   "register",
                                        "--cas-share",  "0",
                                        "--rate",       "150",
                                        "--time-limit", "3",
                                        "--seed",       "21"};
  std::vector<std::string> args{"test"};
  args.insert(args.end(), common.begin(), common.end());
  Outcome first = faultline(args);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  const fs::path original = latest();
  EXPECT_TRUE(read_json(original / "schedule.json").at("faults").as_array().empty());

  Outcome again = faultline({"replay", original.string()});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  const fs::path replay = latest();
  ASSERT_NE(replay, original);
  EXPECT_EQ(read_json(replay / "test.json").at("config").at("test_file"),
            read_json(original / "test.json").at("config").at("test_file"));
  auto a = invocations(original), b = invocations(replay);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [worker, ops] : a) {
    const auto& other = b.at(worker);
    const std::size_t n = std::min(ops.size(), other.size());
    ASSERT_GT(n, 30u) << "worker " << worker;
    EXPECT_EQ(std::vector<std::string>(ops.begin(), ops.begin() + static_cast<long>(n)),
              std::vector<std::string>(other.begin(), other.begin() + static_cast<long>(n)))
        << "worker " << worker;
  }

  // --schedule on the same store: a pause of n3 exactly as written.
  fs::path schedule = write("pause.json", R"({"faults": [
    {"kind": "pause", "at_ms": 1000, "duration_ms": 1000, "targets": ["n3"]}]})");
  args.push_back("--schedule");
  args.push_back(schedule.string());
  Outcome paused = faultline(args);
  ASSERT_LE(paused.exit_code, 1) << paused.out << paused.err;
  auto applied = read_json(latest() / "schedule.json").at("faults").as_array();
  ASSERT_EQ(applied.size(), 1u);
  EXPECT_EQ(applied[0].at("kind"), "pause");
  EXPECT_EQ(applied[0].at("targets").as_array(), boost::json::array{"n3"});
  EXPECT_NEAR(applied[0].at("at_ms").to_number<double>(), 1000, 300);
  std::ifstream history(latest() / "history.jsonl");
  std::string text((std::istreambuf_iterator<char>(history)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"start-pause\""), std::string::npos);

  // A schedule naming a node the cluster lacks is refused before anything runs.
  fs::path bad = write("bad.json", R"({"faults": [
    {"kind": "kill", "at_ms": 0, "duration_ms": 10, "targets": ["n9"]}]})");
  args.back() = bad.string();
  Outcome refused = faultline(args);
  EXPECT_EQ(refused.exit_code, 64) << refused.err;
  EXPECT_NE(refused.err.find("names node 'n9'"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace faultline
