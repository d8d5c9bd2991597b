// The counter checker on hand-written histories: acknowledged increments must all be in
// the reads, within the bounds that unknown increments allow.

#include <gtest/gtest.h>

#include <sstream>

#include "checker/convergence/convergence.h"
#include "checker/counter/counter_checker.h"
#include "checker/history/history.h"
#include "checker/history/input_error.h"
#include "tests/checker/history_builder.h"

namespace faultline {
namespace {

History parse(const std::string& text) {
  std::istringstream in(text);
  return read_history(in, "counter.jsonl", HistoryFormat::kJsonl);
}

std::string op(int process, const char* type, const char* f, const std::string& value,
               bool final = false) {
  return std::string(R"({"type":")") + type + R"(","process":)" + std::to_string(process) +
         R"(,"f":")" + f + R"(","value":)" + value + (final ? R"(,"final":true)" : "") + "}\n";
}

TEST(CounterChecker, EveryAcknowledgedIncrementReadIsValid) {
  auto r =
      check_counter(parse(op(0, "invoke", "add", "1") + op(0, "ok", "add", "1") +
                          op(1, "invoke", "add", "1") + op(1, "ok", "add", "1") +
                          op(0, "invoke", "read", "null", true) + op(0, "ok", "read", "2", true)));
  EXPECT_EQ(r.verdict, Verdict::kValid);
  EXPECT_EQ(r.acknowledged_total, 2);
  EXPECT_EQ(r.final_values, std::vector<std::int64_t>{2});
  EXPECT_EQ(r.lost_increments, 0);
}

TEST(CounterChecker, FinalReadMissingAnAcknowledgedIncrementIsLost) {
  auto r = check_counter(
      parse(op(0, "invoke", "add", "1") + op(0, "ok", "add", "1") + op(1, "invoke", "add", "1") +
            op(1, "ok", "add", "1") + op(2, "invoke", "add", "1") + op(2, "ok", "add", "1") +
            op(0, "invoke", "read", "null", true) + op(0, "ok", "read", "1", true)));
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.lost_increments, 2);
  EXPECT_EQ(r.low_reads, 1u);
  ASSERT_EQ(r.examples.size(), 1u);
  EXPECT_EQ(r.examples[0].lower, 3);
  EXPECT_EQ(r.examples[0].upper, 3);
  EXPECT_NE(r.summary().find("lost increments: 2"), std::string::npos) << r.summary();
  EXPECT_EQ(r.to_json().at("violations").as_array()[0].at("problem").as_string(),
            "lost increments");
}

TEST(CounterChecker, UnknownIncrementsWidenTheUpperBoundOnly) {
  // The info add may or may not have happened: 1 and 2 are both fine, 3 is not.
  const std::string base = op(0, "invoke", "add", "1") + op(0, "ok", "add", "1") +
                           op(1, "invoke", "add", "1") + op(1, "info", "add", "1") +
                           op(2, "invoke", "read", "null", true);
  EXPECT_EQ(check_counter(parse(base + op(2, "ok", "read", "1", true))).verdict, Verdict::kValid);
  EXPECT_EQ(check_counter(parse(base + op(2, "ok", "read", "2", true))).verdict, Verdict::kValid);
  auto high = check_counter(parse(base + op(2, "ok", "read", "3", true)));
  EXPECT_EQ(high.verdict, Verdict::kInvalid);
  EXPECT_EQ(high.high_reads, 1u);
  EXPECT_EQ(high.lost_increments, 0);
}

TEST(CounterChecker, ConcurrentReadMayMissAnIncrementStillInFlight) {
  // The read overlaps the add: 0 and 1 are both linearizable outcomes.
  const std::string h = op(0, "invoke", "add", "1") + op(1, "invoke", "read", "null") +
                        op(1, "ok", "read", "0") + op(0, "ok", "add", "1");
  EXPECT_EQ(check_counter(parse(h)).verdict, Verdict::kValid);
  // Once acknowledged, a later read must see it.
  const std::string late = op(0, "invoke", "add", "1") + op(0, "ok", "add", "1") +
                           op(1, "invoke", "read", "null") + op(1, "ok", "read", "0");
  EXPECT_EQ(check_counter(parse(late)).verdict, Verdict::kInvalid);
}

TEST(CounterChecker, FailedIncrementsCountNowhereAndNoReadIsUnknown) {
  auto r = check_counter(parse(op(0, "invoke", "add", "1") + op(0, "fail", "add", "1")));
  EXPECT_EQ(r.verdict, Verdict::kUnknown);
  EXPECT_EQ(r.adds_failed, 1u);
  EXPECT_EQ(r.possible_total, 0);
}

TEST(CounterChecker, NonIntegerReadIsAnInputErrorNamingItsLine) {
  try {
    check_counter(parse(op(0, "invoke", "read", "null") + op(0, "ok", "read", "\"lots\"")));
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 2u);
    EXPECT_NE(std::string(e.what()).find("a read's value must be an integer"), std::string::npos);
  }
}

// Convergence (checker/convergence) judges a counter's final reads by agreement only: the
// counter's value is no write, and lost increments are this checker's to count.
TEST(CounterChecker, ConvergenceSeesACounterAndJudgesOnlyAgreement) {
  testing::HistoryBuilder b;
  b.op(0, "add", 1, 0, 10).op(1, "add", 1, 5, 15);
  b.nemesis("start-partition", 20).nemesis("stop-partition", 100);
  b.op(10, "read", nullptr, 110, 120, "ok", 1, "n1", nullptr, true);
  b.op(11, "read", nullptr, 130, 140, "ok", 1, "n2", nullptr, true);
  const History h = b.build();
  ConvergenceResult c = check_convergence(h);
  EXPECT_EQ(c.shape, "counter");
  EXPECT_EQ(c.verdict, Verdict::kValid);
  EXPECT_EQ(c.unexpected, 0u);
  ASSERT_EQ(c.keys.size(), 1u);
  EXPECT_TRUE(c.keys[0].converged);
  auto r = check_counter(h);  // both final reads miss one acknowledged increment
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.lost_increments, 1);
}

}  // namespace
}  // namespace faultline
