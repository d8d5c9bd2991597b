// PrimaryLossJudge: when the failover monitor declares an asynchronous primary lost, from
// what the replicas report (no server needed).

#include <gtest/gtest.h>

#include "adapters/mariadb/primary_loss.h"

namespace faultline::adapters {
namespace {

using namespace std::chrono_literals;
using Clock = PrimaryLossJudge::Clock;

ReplicaObservation replica(const std::string& node, bool io_running, long long received) {
  return {node, true, io_running, received, {}};
}

TEST(GtidDomain0Seq, ReadsDomainZeroOfAPosition) {
  EXPECT_EQ(gtid_domain0_seq("0-2-150"), 150);
  EXPECT_EQ(gtid_domain0_seq("1-1-3,0-2-150"), 150);
  EXPECT_EQ(gtid_domain0_seq("1-1-3"), -1);
  EXPECT_EQ(gtid_domain0_seq(""), -1);
  EXPECT_EQ(gtid_domain0_seq("1-1-3,\n0-1-7"), 7);
}

TEST(MostAdvancedReplica, IsTheOneThatReceivedMostAmongThoseAnswering) {
  std::vector<ReplicaObservation> r{
      replica("n2", false, 90), replica("n3", false, 120), {"n4", false, false, 500, {}}};
  EXPECT_EQ(most_advanced_replica(r), 1u);
  EXPECT_FALSE(most_advanced_replica({{"n2", false, false, 5, {}}}).has_value());
}

// The partition that started this: both replicas keep Slave_IO_Running=Yes (no timeout yet)
// while the primary, still answering the monitor, advances; their positions stand still.
TEST(PrimaryLossJudge, ReplicasThatStopReceivingWhileThePrimaryAdvancesHaveLostIt) {
  PrimaryLossJudge judge(3s);
  const auto t0 = Clock::now();
  long long primary = 100;
  for (int poll = 0; poll < 5; ++poll, primary += 50) {  // receiving: positions move
    auto j = judge.observe(t0 + poll * 200ms, primary,
                           {replica("n2", true, primary - 3), replica("n3", true, primary - 7)});
    EXPECT_FALSE(j.primary_lost);
  }
  // Cut after 800 ms: the replicas stay at 297 and 293, the primary goes on.
  PrimaryLossJudge::Judgement j;
  for (int poll = 5; poll <= 18; ++poll, primary += 50) {
    j = judge.observe(t0 + poll * 200ms, primary,
                      {replica("n2", true, 297), replica("n3", true, 293)});
    EXPECT_FALSE(j.primary_lost) << "only " << (poll - 4) * 200 << " ms after the cut";
  }
  j = judge.observe(t0 + 3800ms, primary, {replica("n2", true, 297), replica("n3", true, 293)});
  EXPECT_TRUE(j.primary_lost);
  EXPECT_EQ(j.lost_by, (std::vector<std::string>{"n2", "n3"}));
}

TEST(PrimaryLossJudge, AnIdleCaughtUpReplicaHasThePrimaryUntilItsIoThreadDisconnects) {
  PrimaryLossJudge judge(3s);
  const auto t0 = Clock::now();
  for (auto t = 0ms; t <= 10s; t += 200ms) {
    EXPECT_FALSE(
        judge.observe(t0 + t, 40, {replica("n2", true, 40), replica("n3", true, 40)}).primary_lost);
  }
  judge.observe(t0 + 10200ms, 40, {replica("n2", false, 40), replica("n3", false, 40)});
  EXPECT_FALSE(judge.observe(t0 + 12800ms, 40, {replica("n2", false, 40), replica("n3", false, 40)})
                   .primary_lost);
  EXPECT_TRUE(judge.observe(t0 + 13s, 40, {replica("n2", false, 40), replica("n3", false, 40)})
                  .primary_lost);
}

TEST(PrimaryLossJudge, OneReplicaOfTwoLosingThePrimaryIsNoMajority) {
  PrimaryLossJudge judge(3s);
  const auto t0 = Clock::now();
  long long primary = 10;
  for (auto t = 0ms; t <= 8s; t += 200ms, primary += 10) {
    auto j =
        judge.observe(t0 + t, primary, {replica("n2", false, 10), replica("n3", true, primary)});
    EXPECT_FALSE(j.primary_lost);
    if (t >= 3s) {
      EXPECT_EQ(j.lost_by, std::vector<std::string>{"n2"});
    }
  }
}

TEST(PrimaryLossJudge, AReplicaThatDoesNotAnswerHasNoSayButCountsInTheTotal) {
  PrimaryLossJudge judge(3s);
  const auto t0 = Clock::now();
  const ReplicaObservation silent{"n3", false, false, -1, {}};
  judge.observe(t0, 50, {replica("n2", false, 50), silent});
  auto j = judge.observe(t0 + 5s, 60, {replica("n2", false, 50), silent});
  EXPECT_FALSE(j.primary_lost);  // 1 of 2
  // Of three replicas, two are a majority.
  PrimaryLossJudge three(3s);
  three.observe(t0, 50, {replica("n2", false, 50), replica("n3", false, 50), silent});
  EXPECT_TRUE(
      three.observe(t0 + 5s, 60, {replica("n2", false, 50), replica("n3", false, 50), silent})
          .primary_lost);
}

TEST(PrimaryLossJudge, WithoutAnAnswerFromThePrimaryOnlyMovingPositionsCount) {
  // The monitor cannot reach the primary, but the replicas still receive: no failover
  // (orchestrator's "UnreachableMaster"); once they stand still too, it is lost.
  PrimaryLossJudge judge(3s);
  const auto t0 = Clock::now();
  long long received = 0;
  for (auto t = 0ms; t <= 6s; t += 200ms, received += 5) {
    EXPECT_FALSE(
        judge.observe(t0 + t, -1, {replica("n2", true, received), replica("n3", true, received)})
            .primary_lost);
  }
  received -= 5;  // the last position observed
  EXPECT_FALSE(
      judge.observe(t0 + 8s, -1, {replica("n2", true, received), replica("n3", true, received)})
          .primary_lost);
  EXPECT_TRUE(
      judge.observe(t0 + 9200ms, -1, {replica("n2", true, received), replica("n3", true, received)})
          .primary_lost);
}

TEST(PrimaryLossJudge, ResetGivesTheReplicasOfANewPrimaryTheirFullTime) {
  PrimaryLossJudge judge(3s);
  const auto t0 = Clock::now();
  judge.observe(t0, 100, {replica("n2", false, 10), replica("n3", false, 10)});
  EXPECT_TRUE(judge.observe(t0 + 3s, 100, {replica("n2", false, 10), replica("n3", false, 10)})
                  .primary_lost);
  judge.reset();
  EXPECT_FALSE(judge.observe(t0 + 3200ms, 100, {replica("n2", false, 10), replica("n3", false, 10)})
                   .primary_lost);
  EXPECT_FALSE(judge.observe(t0 + 6s, 100, {replica("n2", false, 10), replica("n3", false, 10)})
                   .primary_lost);
  EXPECT_TRUE(judge.observe(t0 + 6200ms, 100, {replica("n2", false, 10), replica("n3", false, 10)})
                  .primary_lost);
}

}  // namespace
}  // namespace faultline::adapters
