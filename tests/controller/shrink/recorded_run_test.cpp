// A run directory read back (controller/shrink/recorded_run.h): the configuration that replays
// it is the one that ran, so each worker chooses the same operations; a run without its
// schedule cannot be replayed and says why.

#include "controller/shrink/recorded_run.h"

#include <gtest/gtest.h>

#include <fstream>

#include "checker/history/input_error.h"
#include "controller/run/run_store.h"
#include "controller/shrink/anomaly.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

class RecordedRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("faultline-recorded-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // test.json as a run writes it (phases.cpp write_test_json), for `plan` on 3 nodes.
  void write_run(const TestPlan& plan, const std::string& schedule_json) {
    boost::json::array nodes;
    for (int i = 1; i <= 3; ++i) {
      nodes.push_back({{"name", "n" + std::to_string(i)},
                       {"host", "10.77.9." + std::to_string(i)},
                       {"port", 22},
                       {"user", "root"},
                       {"local", true}});
    }
    WorkloadOptions w = plan.config.workload_options;
    boost::json::object test{{"schema", "faultline.test/1"},
                             {"name", plan.test_name},
                             {"seed", plan.seed},
                             {"config", config_json(plan)},
                             {"workload", make_workload(plan.config.workload, w)->config()},
                             {"nodes", std::move(nodes)},
                             {"local_cluster", plan.config.nodes.cluster}};
    RunStore(dir_).write_json("test.json", test);
    if (!schedule_json.empty()) std::ofstream(dir_ / "schedule.json") << schedule_json;
  }

  static std::vector<std::string> operations(const TestPlan& plan, std::size_t worker) {
    WorkloadOptions w = plan.config.workload_options;
    auto generator = make_workload(plan.config.workload, w)->generator(worker, 6);
    std::vector<std::string> out;
    for (int i = 0; i < 500; ++i) {
      Operation op;
      generator->next(op);
      out.push_back(op.f + " " + (op.key ? boost::json::serialize(*op.key) : "") + " " +
                    boost::json::serialize(op.value));
    }
    return out;
  }

  fs::path dir_;
};

TestPlan original_plan() {
  TestConfig config;
  config.db = "etcd";
  config.workload = "register";
  config.read_consistency = "serializable";
  config.concurrency = "2n";
  config.time_limit_s = 25;
  config.seed = 4242;
  config.rate = 150;
  config.op_timeout_ms = 900;
  config.nodes.cluster = "rec-test";
  config.workload_options.keys = 3;
  config.workload_options.read_share = 0.7;
  config.workload_options.cas_share = 0;
  config.stop_on_invalid = true;
  return validate(config);
}

TEST_F(RecordedRunTest, ReplaysTheSameConfigurationSeedAndOperationChoices) {
  TestPlan plan = original_plan();
  write_run(plan, R"({"schema": "faultline.schedule/1", "faults": [
    {"kind": "partition", "at_ms": 2000, "duration_ms": 3000, "grudge": "one",
     "drops": {"n1": ["n2", "n3"], "n2": ["n1"], "n3": ["n1"]}}]})");
  RecordedRun run = read_recorded_run(dir_);
  EXPECT_EQ(run.seed, 4242u);
  EXPECT_EQ(run.node_count, 3u);
  ASSERT_EQ(run.schedule.faults.size(), 1u);
  TestConfig config = replay_config(run);
  EXPECT_EQ(config.schedule_file, (run.dir / "schedule.json").string());
  EXPECT_EQ(config.nodes.cluster, "rec-test");
  TestPlan again = validate(config);
  ASSERT_TRUE(again.schedule);
  EXPECT_EQ(again.faults, std::vector<nemesis::FaultKind>{nemesis::FaultKind::kPartition});
  // Everything test.json records is the same but the schedule (now explicit) and the
  // nemesis named from it.
  boost::json::object a = config_json(plan), b = config_json(again);
  for (const char* key : {"schedule", "nemesis"}) {
    a.erase(key);
    b.erase(key);
  }
  EXPECT_EQ(boost::json::serialize(a), boost::json::serialize(b));
  EXPECT_EQ(again.test_name, plan.test_name);
  EXPECT_EQ(again.seed, plan.seed);
  for (std::size_t w = 0; w < 6; ++w) EXPECT_EQ(operations(plan, w), operations(again, w)) << w;
  // A different seed would not: the comparison can fail.
  TestConfig other = config;
  other.seed = 4243;
  EXPECT_NE(operations(plan, 0), operations(validate(other), 0));
}

TEST_F(RecordedRunTest, ARunWithoutItsScheduleCannotBeReplayed) {
  write_run(original_plan(), "");
  try {
    read_recorded_run(dir_);
    FAIL() << "no error";
  } catch (const InputMissing& e) {
    EXPECT_NE(std::string(e.what()).find("schedule.json: missing"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_recorded_run(dir_ / "nope"), InputMissing);
}

TEST(Anomaly, KeepsTheMostSpecificKindTheRunShows) {
  auto results = [](const char* anomalies) {
    return boost::json::parse(std::string(R"({"tradeoff": {"anomalies": )") + anomalies + "}}")
        .as_object();
  };
  EXPECT_EQ(main_anomaly(results(R"({"non-linearizable keys": 3, "stale reads": 12})")),
            "stale reads");
  EXPECT_EQ(main_anomaly(results(R"({"G2-item": 1, "G1c": 0})")), "G2-item");
  EXPECT_EQ(main_anomaly(results(R"({"lost": 4, "stale": 2})")), "lost");
  EXPECT_EQ(main_anomaly(results(R"({})")), "");
  EXPECT_TRUE(shows_anomaly(results(R"({"stale reads": 1})"), "stale reads"));
  EXPECT_FALSE(shows_anomaly(results(R"({"stale reads": 0})"), "stale reads"));
  EXPECT_EQ(describe_anomalies(results(R"({"lost": 4, "stale": 2})")), "lost 4, stale 2");
}

}  // namespace
}  // namespace faultline
