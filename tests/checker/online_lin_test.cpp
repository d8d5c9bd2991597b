// The online checker against the offline one: histories fed one operation at a time must get
// the offline verdict, the same keys judged invalid, and (with the register workload's key
// rotation) their keys decided while the history is still being fed, holding only open keys.

#include "checker/online/online_lin.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "checker/online/online_feed.h"
#include "controller/bench/gen/register_history.h"

namespace faultline {
namespace {

CheckOptions register_options() {
  CheckOptions o;
  o.model = "cas-register";
  o.all_keys = true;
  o.time_limit_s = 60;  // a regression shows as unknown, not as a hung test
  return o;
}

// Keys judged invalid, as their JSON text.
std::set<std::string> invalid_keys(const CheckResult& r) {
  std::set<std::string> out;
  for (const auto& p : r.partitions) {
    if (p.verdict == Verdict::kInvalid) out.insert(p.key ? boost::json::serialize(*p.key) : "-");
  }
  return out;
}

// Some ok reads return a value the key never held at that point (a stale or invented read).
History corrupt_reads(History h, double share, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  for (Operation& op : h.ops) {
    if (op.type == OpType::kOk && op.f == "read" && unit(rng) < share) {
      op.value = op.value.is_int64() ? boost::json::value(op.value.get_int64() + 1000)
                                     : boost::json::value(7);
    }
  }
  return h;
}

struct OnlineRun {
  CheckResult result;
  OnlineState state;
  std::size_t decided_before_end = 0;
  std::size_t peak_held_operations = 0;
};

OnlineRun feed(const History& h, const CheckOptions& check, std::optional<KeyRotation> rotation) {
  OnlineLinOptions options;
  options.check = check;
  options.rotation = rotation;
  options.source = h.source;
  OnlineLinearizability online(options);
  OnlineRun run;
  bool ended = false;
  online.on_decided = [&](const KeyDecision&) { run.decided_before_end += ended ? 0 : 1; };
  for (const Operation& op : h.ops) {
    online.add(op);
    run.peak_held_operations = std::max(run.peak_held_operations, online.state().held_operations);
  }
  ended = true;
  online.finish();
  run.result = online.result();
  run.state = online.state();
  return run;
}

TEST(OnlineLin, GeneratedRotatingHistoriesGetTheOfflineVerdict) {
  int invalid = 0, valid = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    RegisterHistoryOptions g;
    g.ops = 400 + 97 * seed;
    g.keys = 1 + seed % 4;
    g.ops_per_key = 20 + seed % 30;
    g.processes = 2 + seed % 6;
    g.info_fraction = (seed % 3) * 0.05;
    g.distinct_values = seed % 2 == 0;
    g.seed = seed;
    History h = generate_register_history(g);
    if (seed % 3 != 0) h = corrupt_reads(std::move(h), 0.002 * static_cast<double>(seed % 5), seed);
    const CheckResult offline = check_linearizable(h, register_options());
    const OnlineRun online = feed(h, register_options(), KeyRotation{g.keys, g.processes});
    SCOPED_TRACE("seed " + std::to_string(seed));
    EXPECT_EQ(online.result.verdict, offline.verdict);
    EXPECT_EQ(invalid_keys(online.result), invalid_keys(offline));
    EXPECT_EQ(online.result.partitions.size(), offline.partitions.size());
    EXPECT_EQ(online.result.operations, offline.operations);
    for (std::size_t i = 0;
         i < std::min(online.result.partitions.size(), offline.partitions.size()); ++i) {
      EXPECT_EQ(online.result.partitions[i].key, offline.partitions[i].key) << "partition " << i;
      EXPECT_EQ(online.result.partitions[i].verdict, offline.partitions[i].verdict)
          << "partition " << i;
    }
    EXPECT_EQ(online.state.pending, 0u);
    EXPECT_GT(online.decided_before_end, 0u) << "no key was decided before the end";
    (offline.verdict == Verdict::kInvalid ? invalid : valid) += 1;
  }
  EXPECT_GT(invalid, 5);  // both verdicts were really exercised
  EXPECT_GT(valid, 5);
}

TEST(OnlineLin, MemoryIsBoundedByOpenKeysNotByHistoryLength) {
  RegisterHistoryOptions g;
  g.ops = 60'000;
  g.keys = 4;
  g.ops_per_key = 50;
  g.processes = 8;
  g.info_fraction = 0.02;
  const History h = generate_register_history(g);
  const OnlineRun online = feed(h, register_options(), KeyRotation{g.keys, g.processes});
  EXPECT_EQ(online.result.verdict, Verdict::kValid);
  // A group holds keys * ops_per_key operations (400 records); a few groups are open at once.
  EXPECT_LT(online.peak_held_operations, 4000u) << "of " << h.ops.size() << " records";
  EXPECT_GT(online.decided_before_end, online.result.partitions.size() * 9 / 10);
}

TEST(OnlineLin, FirstViolationNamesTheOperationThatProvedIt) {
  RegisterHistoryOptions g;
  g.ops = 3000;
  g.keys = 2;
  g.ops_per_key = 40;
  g.processes = 4;
  g.info_fraction = 0;
  g.distinct_values = true;
  History h = generate_register_history(g);
  // One read, in the middle, returns a value never written.
  std::size_t bad = 0;
  for (std::size_t i = h.ops.size() / 2; i < h.ops.size(); ++i) {
    if (h.ops[i].type == OpType::kOk && h.ops[i].f == "read") {
      h.ops[i].value = 999'999;
      bad = i;
      break;
    }
  }
  ASSERT_GT(bad, 0u);
  OnlineLinOptions options;
  options.check = register_options();
  options.rotation = KeyRotation{g.keys, g.processes};
  OnlineLinearizability online(options);
  std::size_t fed = 0;
  for (const Operation& op : h.ops) {
    online.add(op);
    ++fed;
    if (online.state().first_violation) break;
  }
  const OnlineState s = online.state();
  ASSERT_TRUE(s.first_violation) << "not proved before the end";
  EXPECT_LT(fed, h.ops.size());  // proved while the history was still being fed
  // The operation named is one of the corrupted key's, and the reason names that key.
  const std::int64_t named = s.first_violation->operation;
  ASSERT_GE(named, 0);
  ASSERT_LT(named, static_cast<std::int64_t>(h.ops.size()));
  EXPECT_EQ(h.ops[static_cast<std::size_t>(named)].key, h.ops[bad].key);
  EXPECT_NE(s.first_violation->reason.find("key " + boost::json::serialize(*h.ops[bad].key)),
            std::string::npos)
      << s.first_violation->reason;
  EXPECT_EQ(s.first_violation->kind, "nonlinearizable-key");
  EXPECT_EQ(s.verdict_so_far(), Verdict::kInvalid);
  EXPECT_EQ(s.anomalies.at("nonlinearizable-key"), 1u);
}

TEST(OnlineLin, WithoutRotationEveryKeyWaitsForTheEnd) {
  RegisterHistoryOptions g;
  g.ops = 2000;
  g.keys = 5;
  const History h = generate_register_history(g);
  const OnlineRun online = feed(h, register_options(), std::nullopt);
  EXPECT_EQ(online.decided_before_end, 0u);
  EXPECT_EQ(online.result.verdict, check_linearizable(h, register_options()).verdict);
  EXPECT_EQ(online.result.partitions.size(), 5u);
}

TEST(OnlineLin, RefusesWhatTheOfflineCheckerRefuses) {
  Operation done;
  done.index = 0;
  done.type = OpType::kOk;
  done.process = 3;
  done.f = "read";
  done.line = 7;
  OnlineLinOptions options;
  options.check = register_options();
  options.source = "h.jsonl";
  OnlineLinearizability online(options);
  try {
    online.add(done);
    FAIL() << "accepted a completion without an invocation";
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 7u);
    EXPECT_NE(std::string(e.what()).find("without a pending invocation"), std::string::npos);
  }
}

// The recorded histories with known verdicts: one register (etcd) and string keys (kv). No
// rotation applies, so everything is decided at the end, by the same engine as offline.
TEST(OnlineLin, RecordedHistoriesGetTheOfflineVerdict) {
  const std::string dir = std::string(FAULTLINE_SHARED_DIR) + "/histories/porcupine";
  std::vector<std::pair<std::string, std::string>> files;  // path, model
  for (int n = 0; n <= 102; n += 3) {
    if (n == 95) continue;
    char name[32];
    std::snprintf(name, sizeof name, "/jepsen/etcd_%03d.log", n);
    files.emplace_back(dir + name, "cas-register");
  }
  files.emplace_back(dir + "/kv/c10-ok.txt", "kv");
  files.emplace_back(dir + "/kv/c10-bad.txt", "kv");
  for (const auto& [path, model] : files) {
    SCOPED_TRACE(path);
    const History h = read_history(path);
    CheckOptions check = register_options();
    check.model = model;
    check.explain = false;
    const CheckResult offline = check_linearizable(h, check);
    const OnlineRun online = feed(h, check, std::nullopt);
    EXPECT_EQ(online.result.verdict, offline.verdict);
    EXPECT_EQ(invalid_keys(online.result), invalid_keys(offline));
  }
}

// The threaded feed: pushes from one thread, the same verdict, the first proof reported once.
TEST(OnlineFeed, ReportsTheFirstViolationOnceAndFinishesWithTheOfflineVerdict) {
  RegisterHistoryOptions g;
  g.ops = 5000;
  g.keys = 3;
  g.ops_per_key = 30;
  g.processes = 5;
  g.seed = 9;
  const History h = corrupt_reads(generate_register_history(g), 0.01, 3);
  OnlineLinOptions options;
  options.check = register_options();
  options.rotation = KeyRotation{g.keys, g.processes};
  int reports = 0;
  OnlineFeed feed(std::make_unique<OnlineLinearizability>(options),
                  [&](const OnlineProof&) { ++reports; });
  for (const Operation& op : h.ops) feed.push(op);
  feed.finish();
  const OnlineState s = feed.state();
  const CheckResult offline = check_linearizable(h, register_options());
  ASSERT_EQ(offline.verdict, Verdict::kInvalid);
  EXPECT_EQ(s.verdict_so_far(), Verdict::kInvalid);
  EXPECT_EQ(reports, 1);
  EXPECT_EQ(s.invalid, invalid_keys(offline).size());
  EXPECT_TRUE(s.finished);
  EXPECT_EQ(s.held_operations, 0u);
  EXPECT_EQ(static_cast<OnlineLinearizability&>(feed.check()).result().verdict, Verdict::kInvalid);
}

}  // namespace
}  // namespace faultline
