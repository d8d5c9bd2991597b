// The online set and counter checks: on random concurrent histories (valid ones and ones with
// injected anomalies), the verdict after finish() is the offline checker's, and a proof made
// while feeding is never contradicted by it.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "checker/counter/counter_checker.h"
#include "checker/online/online_counter.h"
#include "checker/online/online_set.h"

namespace faultline {
namespace {

Operation record(std::int64_t index, OpType type, std::int64_t process, const std::string& f,
                 boost::json::value value) {
  Operation op;
  op.index = index;
  op.line = static_cast<std::size_t>(index) + 1;
  op.type = type;
  op.process = process;
  op.f = f;
  op.value = std::move(value);
  op.time = index * 1000;
  return op;
}

// 4 processes on one counter; adds take effect at their completion (ok; info half the time),
// reads return the counter then, a share of them off by one or two; 3 final reads at the end.
History counter_history(std::uint64_t seed, double bad_share) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  History h;
  std::int64_t index = 0, counter = 0;
  std::vector<std::optional<Operation>> open(4);
  for (int step = 0; step < 300; ++step) {
    const std::int64_t p = static_cast<std::int64_t>(rng() % 4);
    auto& slot = open[static_cast<std::size_t>(p)];
    if (!slot) {
      const bool read = unit(rng) < 0.4;
      slot = record(index++, OpType::kInvoke, p, read ? "read" : "add",
                    read ? boost::json::value(nullptr)
                         : boost::json::value(static_cast<std::int64_t>(1 + rng() % 3)));
      h.ops.push_back(*slot);
      continue;
    }
    const double u = unit(rng);
    if (slot->f == "add") {
      const OpType t = u < 0.8 ? OpType::kOk : u < 0.9 ? OpType::kFail : OpType::kInfo;
      if (t == OpType::kOk || (t == OpType::kInfo && unit(rng) < 0.5))
        counter += slot->value.as_int64();
      h.ops.push_back(record(index++, t, p, "add", slot->value));
    } else {
      std::int64_t v = counter;
      if (unit(rng) < bad_share) v += unit(rng) < 0.5 ? -2 : 4;
      h.ops.push_back(record(index++, OpType::kOk, p, "read", v));
    }
    slot.reset();
  }
  for (std::int64_t p = 10; p < 13; ++p) {
    Operation inv = record(index++, OpType::kInvoke, p, "read", nullptr);
    inv.extra["final"] = true;
    h.ops.push_back(inv);
    h.ops.push_back(record(index++, OpType::kOk, p, "read", counter));
  }
  return h;
}

TEST(OnlineCounter, AgreesWithCheckCounterAndNeverProvesAValidHistoryInvalid) {
  int invalid = 0;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    const History h = counter_history(seed, seed % 3 ? 0.03 : 0);
    CounterCheckOptions all;
    all.max_examples = 1000;
    const CounterCheckResult offline = check_counter(h, all);
    OnlineCounter online;
    for (const Operation& op : h.ops) online.add(op);
    online.finish();
    const OnlineState s = online.state();
    SCOPED_TRACE("seed " + std::to_string(seed));
    EXPECT_EQ(s.verdict_so_far(), offline.verdict);
    EXPECT_EQ(s.valid + s.invalid, offline.reads);
    EXPECT_EQ(s.invalid, offline.low_reads + offline.high_reads);
    if (offline.verdict == Verdict::kInvalid) {
      ++invalid;
      ASSERT_TRUE(s.first_violation);
      bool named = false;
      for (const auto& v : offline.examples) named |= v.read_index == s.first_violation->operation;
      EXPECT_TRUE(named) << "proof names read " << s.first_violation->operation;
    }
  }
  EXPECT_GT(invalid, 5);  // the anomalies injected were found
}

// 4 processes add unique elements to one set (taking effect at completion; info half the
// time) and read it; a share of reads drop a known element (stale), list one twice, or the set
// loses one for good. 3 final reads at the end.
History set_history(std::uint64_t seed, double bad_share) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  History h;
  std::int64_t index = 0, next = 0;
  std::set<std::int64_t> set;
  std::vector<std::optional<Operation>> open(4);
  auto read_value = [&](bool may_break) {
    boost::json::array a;
    for (std::int64_t x : set) a.push_back(x);
    if (may_break && !a.empty() && unit(rng) < bad_share) {
      const double k = unit(rng);
      if (k < 0.5)
        a.erase(a.begin() + static_cast<std::ptrdiff_t>(rng() % a.size()));
      else if (k < 0.75)
        a.push_back(a.front());
      else
        set.erase(set.begin());  // lost from here on
    }
    return a;
  };
  for (int step = 0; step < 300; ++step) {
    const std::int64_t p = static_cast<std::int64_t>(rng() % 4);
    auto& slot = open[static_cast<std::size_t>(p)];
    if (!slot) {
      const bool read = unit(rng) < 0.3;
      slot = record(index++, OpType::kInvoke, p, read ? "read" : "add",
                    read ? boost::json::value(nullptr) : boost::json::value(next++));
      h.ops.push_back(*slot);
      continue;
    }
    const double u = unit(rng);
    if (slot->f == "add") {
      const OpType t = u < 0.8 ? OpType::kOk : u < 0.9 ? OpType::kFail : OpType::kInfo;
      if (t == OpType::kOk || (t == OpType::kInfo && unit(rng) < 0.5))
        set.insert(slot->value.as_int64());
      h.ops.push_back(record(index++, t, p, "add", slot->value));
    } else {
      h.ops.push_back(record(index++, OpType::kOk, p, "read", read_value(true)));
    }
    slot.reset();
  }
  for (std::int64_t p = 10; p < 13; ++p) {
    Operation inv = record(index++, OpType::kInvoke, p, "read", nullptr);
    inv.extra["final"] = true;
    h.ops.push_back(inv);
    h.ops.push_back(record(index++, OpType::kOk, p, "read", read_value(false)));
  }
  return h;
}

TEST(OnlineSet, AgreesWithCheckSetAndNeverProvesAValidHistoryInvalid) {
  int invalid = 0, early = 0;
  for (bool stale_is_anomaly : {true, false}) {
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
      const History h = set_history(seed, seed % 3 ? 0.05 : 0);
      SetCheckOptions options;
      options.stale_is_anomaly = stale_is_anomaly;
      const SetCheckResult offline = check_set(h, options);
      OnlineSet online(options);
      bool proved_before_finals = false;
      for (const Operation& op : h.ops) {
        if (marked_final(op) && online.state().first_violation) proved_before_finals = true;
        online.add(op);
      }
      // A proof while feeding is never contradicted.
      if (online.state().first_violation) {
        EXPECT_EQ(offline.verdict, Verdict::kInvalid);
      }
      online.finish();
      const OnlineState s = online.state();
      SCOPED_TRACE("seed " + std::to_string(seed) + (stale_is_anomaly ? " linearizable" : ""));
      EXPECT_EQ(s.verdict_so_far(), offline.verdict);
      EXPECT_EQ(online.result().verdict, offline.verdict);
      if (offline.verdict == Verdict::kInvalid) ++invalid;
      if (proved_before_finals) ++early;
    }
  }
  EXPECT_GT(invalid, 5);
  EXPECT_GT(early, 0);  // some were proved while the client phase would still run
}

}  // namespace
}  // namespace faultline
