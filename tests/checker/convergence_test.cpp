// Convergence after healing: time to agreement, divergence, timeouts, values no write
// produced, lost acknowledged writes; on hand-made set and register histories.

#include "checker/convergence/convergence.h"

#include <gtest/gtest.h>

#include "history_builder.h"

namespace faultline {
namespace {

using testing::HistoryBuilder;
namespace json = boost::json;

HistoryBuilder& final_read(HistoryBuilder& b, std::int64_t p, json::value state, double from,
                           double to, const std::string& node) {
  return b.op(p, "read", nullptr, from, to, "ok", std::move(state), node, nullptr, true);
}

HistoryBuilder set_history() {
  HistoryBuilder b;
  b.op(0, "add", 1, 0, 10).op(0, "add", 2, 20, 30).op(1, "add", 3, 25, -1);
  b.nemesis("start-partition", 40).nemesis("stop-partition", 100);
  final_read(b, 10, json::array{2, 1}, 110, 120, "n1");
  final_read(b, 11, json::array{1}, 130, 140, "n3");  // not there yet
  final_read(b, 12, json::array{1, 2}, 150, 160, "n2");
  final_read(b, 13, json::array{1, 2}, 240, 250, "n3");  // caught up
  return b;
}

TEST(Convergence, SetConvergesWhenTheLastNodeCatchesUp) {
  ConvergenceResult r = check_convergence(set_history().build());
  EXPECT_EQ(r.shape, "set");
  EXPECT_EQ(r.verdict, Verdict::kValid);
  EXPECT_EQ(r.final_reads, 4u);
  ASSERT_EQ(r.keys.size(), 1u);
  EXPECT_TRUE(r.keys[0].converged);
  EXPECT_DOUBLE_EQ(*r.keys[0].convergence_ms, 150.0);  // n3 at 250, healed at 100
  EXPECT_DOUBLE_EQ(*r.max_convergence_ms, 150.0);
  EXPECT_EQ(r.lost, 0u);
}

TEST(Convergence, TooSlowIsATimeout) {
  ConvergenceOptions options;
  options.timeout_s = 0.1;
  ConvergenceResult r = check_convergence(set_history().build(), options);
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.timed_out, 1u);
}

TEST(Convergence, NodesThatStillDisagreeDiverged) {
  HistoryBuilder b = set_history();
  final_read(b, 14, json::array{1}, 260, 270, "n1");
  ConvergenceResult r = check_convergence(b.build());
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.diverged, 1u);
  EXPECT_FALSE(r.keys[0].converged);
  EXPECT_FALSE(r.max_convergence_ms.has_value());
}

TEST(Convergence, SetThatDropsAnAcknowledgedAddLostIt) {
  HistoryBuilder b;
  b.op(0, "add", 1, 0, 10).op(0, "add", 2, 20, 30).op(0, "add", 4, 31, 32, "fail");
  final_read(b, 10, json::array{1, 5}, 110, 120, "n1");
  final_read(b, 11, json::array{5, 1}, 110, 120, "n2");
  ConvergenceResult r = check_convergence(b.build());
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.lost, 1u);        // 2
  EXPECT_EQ(r.unexpected, 1u);  // 5
  ASSERT_EQ(r.keys[0].lost.size(), 1u);
  EXPECT_EQ(r.keys[0].lost[0], "2");
}

TEST(Convergence, RegisterLosesWritesThatFollowedItsFinalValue) {
  // w1 completes at 10; w2 is invoked at 20, after it: ending on 1 loses w2.
  HistoryBuilder b;
  b.write(0, 1, 0, 10).write(0, 2, 20, 30);
  final_read(b, 10, 1, 110, 120, "n1");
  final_read(b, 11, 1, 110, 120, "n2");
  ConvergenceResult r = check_convergence(b.build());
  EXPECT_EQ(r.shape, "register");
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.lost, 1u);
}

TEST(Convergence, RegisterMayEndOnEitherOfTwoConcurrentWrites) {
  HistoryBuilder b;
  b.write(0, 1, 0, 50).write(1, 2, 10, 20);
  final_read(b, 10, 1, 110, 120, "n1");
  final_read(b, 11, 1, 110, 125, "n2");
  ConvergenceResult r = check_convergence(b.build());
  EXPECT_EQ(r.verdict, Verdict::kValid) << r.summary();
  EXPECT_DOUBLE_EQ(*r.max_convergence_ms, 15.0);  // no heal: from the first final read (110)
}

TEST(Convergence, RegisterValueNoWriteProducedIsUnexpected) {
  HistoryBuilder b;
  b.write(0, 1, 0, 10).write(0, 77, 20, 30, "fail");
  final_read(b, 10, 77, 110, 120, "n1");
  ConvergenceResult r = check_convergence(b.build());
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.unexpected, 1u);
}

TEST(Convergence, WithoutFinalReadsItIsUnknown) {
  ConvergenceResult r = check_convergence(HistoryBuilder().write(0, 1, 0, 10).build());
  EXPECT_EQ(r.verdict, Verdict::kUnknown);
  EXPECT_EQ(r.to_json().at("convergence_ms"), json::value(nullptr));
}

}  // namespace
}  // namespace faultline
