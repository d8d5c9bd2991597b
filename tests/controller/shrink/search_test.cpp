// The shrink search (controller/shrink/search.h) against predicates over schedules: it finds
// the smallest schedule that still fails, keeps a flaky failure, and stops at its budget with
// the best schedule so far.

#include "controller/shrink/search.h"

#include <gtest/gtest.h>

namespace faultline {
namespace {

using nemesis::FaultKind;
using nemesis::FaultSchedule;
using nemesis::Grudge;
using nemesis::ScheduledFault;

const std::vector<std::string> kNodes{"n1", "n2", "n3", "n4", "n5"};

ScheduledFault partition(std::int64_t at, std::int64_t duration,
                         std::vector<std::vector<std::string>> components) {
  ScheduledFault f;
  f.kind = FaultKind::kPartition;
  f.at_ms = at;
  f.duration_ms = duration;
  f.grudge = "halves";
  f.drops = nemesis::complete_grudge(components);
  return f;
}

ScheduledFault on(FaultKind kind, std::int64_t at, std::int64_t duration,
                  std::vector<std::string> targets) {
  ScheduledFault f;
  f.kind = kind;
  f.at_ms = at;
  f.duration_ms = duration;
  f.targets = std::move(targets);
  if (kind == FaultKind::kClock) f.offset_ms = 3000;
  return f;
}

// Six faults, 10 s apart, 10 s each, in a 70 s run: what a random `partition,kill,pause`
// schedule looks like.
ShrinkCandidate storm() {
  ShrinkCandidate c;
  c.time_limit_s = 70;
  auto& f = c.schedule.faults;
  f.push_back(on(FaultKind::kKill, 10'000, 5'000, {"n4"}));
  f.push_back(on(FaultKind::kPause, 20'000, 5'000, {"n1", "n2", "n3", "n4", "n5"}));
  f.push_back(partition(30'000, 10'000, {{"n1", "n2"}, {"n3", "n4", "n5"}}));
  f.push_back(on(FaultKind::kKill, 45'000, 5'000, {"n2", "n3"}));
  f.push_back(on(FaultKind::kClock, 50'000, 5'000, {"n5"}));
  f.push_back(partition(60'000, 5'000, {{"n3"}, {"n1", "n2", "n4", "n5"}}));
  return c;
}

// The anomaly: a stale read needs n1 cut off from the majority (n3, n4, n5) for at least 2 s,
// inside the run. (The last fault, which cuts off n3 alone, does not do it.)
bool stale_reads(const ShrinkCandidate& c) {
  for (const auto& f : c.schedule.faults) {
    if (f.kind != FaultKind::kPartition || f.duration_ms < 2'000) continue;
    auto it = f.drops.find("n1");
    if (it != f.drops.end() && it->second.contains("n3") && it->second.contains("n4") &&
        it->second.contains("n5") && static_cast<double>(f.end_ms()) / 1000 <= c.time_limit_s)
      return true;
  }
  return false;
}

// A run function from a predicate; `flaky(call)` may turn a failing run into a passing one.
struct FakeRuns {
  explicit FakeRuns(
      std::function<bool(const ShrinkCandidate&)> f,
      std::function<bool(int)> s = [](int) { return true; })
      : fails(std::move(f)), shows(std::move(s)) {}
  std::function<bool(const ShrinkCandidate&)> fails;
  std::function<bool(int)> shows;
  int budget = 1'000'000;  // runs before the budget is spent
  int calls = 0;
  std::vector<std::string> labels;

  RunCandidate function() {
    return [this](const ShrinkCandidate& c, const std::string& label, int attempt) {
      CandidateRun r;
      if (calls >= budget) {
        r.outcome = CandidateRun::Outcome::kNoBudget;
        return r;
      }
      ++calls;
      labels.push_back(label + "-r" + std::to_string(attempt));
      r.dir = "/store/" + labels.back();
      r.outcome = fails(c) && shows(calls) ? CandidateRun::Outcome::kReproduced
                                           : CandidateRun::Outcome::kNotReproduced;
      return r;
    };
  }
};

ShrinkOptions options(int runs) {
  ShrinkOptions o;
  o.runs_per_candidate = runs;
  o.nodes = kNodes;
  return o;
}

TEST(ShrinkSearch, FindsTheOnePartitionThatCutsOffTheStaleReplica) {
  FakeRuns runs{stale_reads};
  ShrinkResult r = shrink_schedule(storm(), runs.function(), options(3));
  ASSERT_EQ(r.minimal.schedule.faults.size(), 1u);
  const ScheduledFault& f = r.minimal.schedule.faults[0];
  EXPECT_EQ(f.kind, FaultKind::kPartition);
  // n1 alone (the smallest side held n1 and n2; n1 alone still cuts it off from n3).
  Grudge alone = nemesis::complete_grudge({{"n1"}, {"n2", "n3", "n4", "n5"}});
  EXPECT_EQ(f.drops, alone);
  // Halved from 10 s while it still failed: 5 s, 2.5 s; 1.25 s is too short.
  EXPECT_EQ(f.duration_ms, 2'500);
  // Moved to 1 s, and the time limit down to its end plus 2 s.
  EXPECT_EQ(f.at_ms, 1'000);
  EXPECT_EQ(r.minimal.time_limit_s, 6);
  EXPECT_TRUE(stale_reads(r.minimal));
  EXPECT_EQ(r.stopped, "done");
  EXPECT_EQ(r.confirm_runs, 3);
  EXPECT_EQ(r.confirm_reproduced, 3);
  // Every step kept is a failing schedule, and each made the schedule no bigger.
  std::size_t faults = storm().schedule.faults.size();
  for (const auto& step : r.steps) {
    if (!step.accepted) continue;
    EXPECT_TRUE(stale_reads(step.candidate)) << step.description;
    EXPECT_LE(step.candidate.schedule.faults.size(), faults);
    faults = step.candidate.schedule.faults.size();
  }
  // The original is never run again, and no candidate twice.
  std::set<std::string> seen;
  for (const auto& step : r.steps)
    EXPECT_TRUE(seen.insert(boost::json::serialize(to_json(step.candidate))).second);
}

TEST(ShrinkSearch, KeepsEveryFaultTheAnomalyNeeds) {
  // Lost writes need n2 killed and a partition, both.
  auto lost = [](const ShrinkCandidate& c) {
    bool kill = false, part = false;
    for (const auto& f : c.schedule.faults) {
      kill = kill || (f.kind == FaultKind::kKill &&
                      std::find(f.targets.begin(), f.targets.end(), "n2") != f.targets.end());
      part = part || f.kind == FaultKind::kPartition;
    }
    return kill && part;
  };
  FakeRuns runs{lost};
  ShrinkResult r = shrink_schedule(storm(), runs.function(), options(1));
  ASSERT_EQ(r.minimal.schedule.faults.size(), 2u);
  EXPECT_TRUE(lost(r.minimal));
  // The kill on n2 and n3 came down to n2 alone.
  for (const auto& f : r.minimal.schedule.faults) {
    if (f.kind == FaultKind::kKill) {
      EXPECT_EQ(f.targets, std::vector<std::string>{"n2"});
    }
  }
}

TEST(ShrinkSearch, AFlakyFailureStillShrinksWithSeveralRunsPerCandidate) {
  // A failing schedule shows the anomaly in one run of three only.
  FakeRuns flaky{stale_reads, [](int call) { return call % 3 == 0; }};
  ShrinkResult r = shrink_schedule(storm(), flaky.function(), options(3));
  FakeRuns steady{stale_reads};
  ShrinkResult expected = shrink_schedule(storm(), steady.function(), options(3));
  EXPECT_EQ(boost::json::serialize(to_json(r.minimal)),
            boost::json::serialize(to_json(expected.minimal)));
  EXPECT_EQ(r.confirm_runs, 3);
  EXPECT_EQ(r.confirm_reproduced, 1);  // the rate the report states
  // With one run per candidate, the same flakiness stops it early: still a failing schedule,
  // never one that was not seen to fail.
  FakeRuns once{stale_reads, [](int call) { return call % 3 == 0; }};
  ShrinkResult rough = shrink_schedule(storm(), once.function(), options(1));
  EXPECT_TRUE(stale_reads(rough.minimal));
  EXPECT_GE(rough.minimal.schedule.faults.size(), r.minimal.schedule.faults.size());
}

TEST(ShrinkSearch, StopsAtTheBudgetWithTheBestScheduleSoFar) {
  FakeRuns runs{stale_reads};
  runs.budget = 4;
  ShrinkResult r = shrink_schedule(storm(), runs.function(), options(3));
  EXPECT_EQ(r.stopped, "budget");
  EXPECT_EQ(runs.calls, 4);
  EXPECT_EQ(r.confirm_runs, 0);
  EXPECT_LT(r.minimal.schedule.faults.size(), storm().schedule.faults.size());
  EXPECT_TRUE(stale_reads(r.minimal));
  ASSERT_FALSE(r.steps.empty());
  EXPECT_FALSE(r.steps.back().complete);
  EXPECT_FALSE(r.steps.back().accepted);
}

TEST(ShrinkSearch, AnAnomalyThatNeedsNoFaultEndsWithAnEmptySchedule) {
  FakeRuns runs{[](const ShrinkCandidate&) { return true; }};
  ShrinkResult r = shrink_schedule(storm(), runs.function(), options(1));
  EXPECT_TRUE(r.minimal.schedule.faults.empty());
  EXPECT_EQ(r.minimal.time_limit_s, 2);  // nothing but the slack is needed
}

TEST(ShrinkSearch, ARunThatNeverFailsAgainLeavesTheOriginal) {
  FakeRuns runs{[](const ShrinkCandidate&) { return false; }};
  ShrinkResult r = shrink_schedule(storm(), runs.function(), options(2));
  EXPECT_EQ(boost::json::serialize(to_json(r.minimal)), boost::json::serialize(to_json(storm())));
  EXPECT_EQ(r.confirm_reproduced, 0);
  EXPECT_EQ(r.confirm_runs, 2);
  for (const auto& step : r.steps) EXPECT_EQ(step.runs, 2) << step.description;
}

}  // namespace
}  // namespace faultline
