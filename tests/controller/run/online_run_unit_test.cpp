// The online check of a run (controller/run/online_run.h) fed by the recorder, with the
// register workload's own generators: the key rotation it assumes is the one the workload
// follows (keys decided while the run goes on), its verdict is the workload's offline
// check's, the final reads are left out as offline, and a proof reaches the run only during
// the client phase. Also the progress line's online part.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "controller/run/online_run.h"
#include "controller/run/progress.h"
#include "controller/run/recorder.h"
#include "workloads/workload.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("faultline-online-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

struct SimulatedRun {
  History history;     // every recorded operation
  OnlineState during;  // the online state just before the clients stopped
  int proofs_reported = 0;
  boost::json::object online;  // OnlineRun::to_json at the end
};

// `workers` clients of the register workload against true registers, in rounds: every worker
// invokes, then all complete in turn (so their operations overlap), each taking effect at its
// completion. Reads listed in `corrupt` (by their round) return a value never written. Then a
// final read of key 0 with a wrong value, as the convergence reads record it.
SimulatedRun simulate(std::size_t workers, std::size_t rounds, std::set<std::size_t> corrupt,
                      const fs::path& dir) {
  WorkloadOptions o;
  o.keys = 2;
  o.ops_per_key = 30;
  o.seed = 11;
  auto workload = make_workload("register", o);
  SimulatedRun sim;
  auto online = OnlineRun::make(*workload, workers, 0, dir,
                                [&](const OnlineProof&) { ++sim.proofs_reported; });
  EXPECT_NE(online, nullptr);
  HistoryRecorder recorder(nullptr, std::chrono::steady_clock::now());
  recorder.set_observer([&](const Operation& op) {
    sim.history.ops.push_back(op);
    online->observe(op);
  });
  std::vector<std::unique_ptr<OpGenerator>> generators;
  for (std::size_t w = 0; w < workers; ++w) generators.push_back(workload->generator(w, workers));
  std::map<std::int64_t, boost::json::value> registers;
  for (std::size_t round = 0; round < rounds; ++round) {
    std::vector<Operation> invokes(workers);
    for (std::size_t w = 0; w < workers; ++w) {
      generators[w]->next(invokes[w]);
      invokes[w].process = static_cast<std::int64_t>(w);
      recorder.invoke(invokes[w]);
    }
    for (std::size_t w = 0; w < workers; ++w) {
      const Operation& invoke = invokes[w];
      Operation done = invoke;
      done.type = OpType::kOk;
      boost::json::value& reg = registers[invoke.key->as_int64()];
      if (invoke.f == "read") {
        done.value = corrupt.count(round) ? boost::json::value(-1) : reg;
      } else if (invoke.f == "write") {
        reg = invoke.value;
      } else {  // cas [old new]
        if (reg == invoke.value.as_array()[0])
          reg = invoke.value.as_array()[1];
        else
          done.type = OpType::kFail;
      }
      recorder.complete(done);
      generators[w]->observe(invoke, done);
    }
  }
  // Let the feed catch up before reading the state "during" the run.
  for (int i = 0; i < 200 && online->state().operations < sim.history.ops.size(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  sim.during = online->state();
  online->clients_done();
  Operation final_read;
  final_read.f = "read";
  final_read.key = boost::json::value(0);
  final_read.process = 2'000'000'000;
  final_read.extra["final"] = true;
  recorder.invoke(final_read);
  final_read.type = OpType::kOk;
  final_read.value = 123'456;  // never written: offline leaves it to the convergence check
  recorder.complete(final_read);
  online->finish();
  sim.online = online->to_json();
  // The workload's offline check of the same history.
  sim.history.source = "simulated";
  return sim;
}

TEST(OnlineRun, TheRegisterWorkloadsRotationDecidesKeysWhileTheRunGoesOn) {
  TempDir dir;
  const SimulatedRun sim = simulate(4, 600, {}, dir.path);
  auto workload = make_workload("register", WorkloadOptions{});
  const CheckerResult offline = workload->check(sim.history, CheckBudget{});
  ASSERT_EQ(offline.verdict, Verdict::kValid) << offline.summary;
  EXPECT_EQ(sim.online.at("verdict"), "valid");
  // 4 workers x 600 rounds on groups of 2 keys x 30 ops per worker share: most keys were
  // decided before the clients stopped, only the last groups' keys were pending.
  EXPECT_GT(sim.during.valid, 50u);
  EXPECT_LE(sim.during.pending, 6u);
  EXPECT_EQ(sim.during.invalid, 0u);
  EXPECT_EQ(sim.online.at("pending"), 0);
  EXPECT_EQ(sim.proofs_reported, 0);
  // online.json was written, and says the check is done.
  std::ifstream in(dir.path / "online.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto doc = boost::json::parse(text).as_object();
  EXPECT_EQ(doc.at("state"), "checked");
  EXPECT_EQ(doc.at("verdict_so_far"), "valid");
}

TEST(OnlineRun, AStaleReadIsProvedDuringTheRunWithTheOfflineVerdict) {
  TempDir dir;
  const SimulatedRun sim = simulate(4, 600, {100, 101}, dir.path);
  auto workload = make_workload("register", WorkloadOptions{});
  const CheckerResult offline = workload->check(sim.history, CheckBudget{});
  ASSERT_EQ(offline.verdict, Verdict::kInvalid);
  EXPECT_EQ(sim.online.at("verdict"), "invalid");
  EXPECT_GE(sim.during.invalid, 1u);  // proved while the clients were still running
  EXPECT_EQ(sim.proofs_reported, 1);
  std::size_t offline_invalid = 0;
  for (const auto& p : offline.document.at("partitions").as_array()) {
    if (p.at("verdict") == "invalid") ++offline_invalid;
  }
  EXPECT_EQ(sim.online.at("invalid").to_number<std::size_t>(), offline_invalid);
  // The proof names an invocation of the history (as the report's explanation names its
  // culprit), on a key the offline check found invalid.
  const std::int64_t proof = sim.online.at("first_violation").at("operation").as_int64();
  ASSERT_GE(proof, 0);
  const Operation& op = sim.history.ops.at(static_cast<std::size_t>(proof));
  EXPECT_TRUE(op.is_invoke());
  bool key_invalid_offline = false;
  for (const auto& p : offline.document.at("partitions").as_array()) {
    if (p.at("verdict") == "invalid" && p.at("key") == *op.key) key_invalid_offline = true;
  }
  EXPECT_TRUE(key_invalid_offline) << boost::json::serialize(*op.key);
}

TEST(OnlineRun, TheProgressLineSaysWhatIsDecided) {
  OnlineState s;
  s.valid = 40;
  s.invalid = 1;
  s.pending = 16;
  s.anomalies["nonlinearizable-key"] = 1;
  EXPECT_EQ(describe_online(s), "keys: 40 valid, 1 invalid, 16 pending; nonlinearizable-key 1");
  s.unknown = 2;
  s.error = "bad input";
  EXPECT_EQ(describe_online(s),
            "keys: 40 valid, 1 invalid, 2 unknown, 16 pending; nonlinearizable-key 1; online check "
            "stopped: bad input");
}

TEST(OnlineRun, WorkloadsWithoutAnOnlineCheckGetNone) {
  TempDir dir;
  auto set = make_workload("set", WorkloadOptions{});
  EXPECT_NE(OnlineRun::make(*set, 4, 0, dir.path, {}), nullptr);
  EXPECT_TRUE(has_online_check("set"));
  EXPECT_TRUE(has_online_check("counter"));
  EXPECT_FALSE(has_online_check("list-append"));
  EXPECT_TRUE(has_online_check("register"));
  EXPECT_TRUE(has_online_check("bank"));
}

}  // namespace
}  // namespace faultline
