// The polynomial engine for registers with distinct written values ("zones"): it decides
// what the search cannot in time, explains in the same words, and hands every other
// shape back to the search. (Its verdicts against the brute-force reference are in
// differential_test.cpp.)

#include <gtest/gtest.h>

#include "controller/bench/gen/register_history.h"
#include "tests/checker/lin_test_util.h"

namespace faultline {
namespace {

CheckResult check(const History& h, const std::string& model = "register") {
  CheckOptions options;
  options.model = model;
  options.threads = 1;
  options.time_limit_s = 30;
  return check_linearizable(h, options);
}

// 40 concurrent writes, each read, then a read of a value never written: ~2^40 orders
// for a search, a few microseconds here.
TEST(LinZones, DecidesWhatTheSearchCannot) {
  testing::HistoryBuilder b;
  const int n = 40;
  for (int p = 0; p < n; ++p) b.invoke(p, "write", p);
  for (int p = 0; p < n; ++p) b.invoke(100 + p, "read");
  for (int p = 0; p < n; ++p) b.ok(p, "write", p);
  for (int p = 0; p < n; ++p) b.ok(100 + p, "read", p);
  b.call(500, "read", nullptr, -1);
  const CheckResult r = check(b.history());
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  ASSERT_EQ(r.partitions.size(), 1u);
  EXPECT_EQ(r.partitions[0].engine, "zones");
  ASSERT_TRUE(r.partitions[0].explanation);
  EXPECT_EQ(r.partitions[0].explanation->culprit.text, "read -1");
  EXPECT_EQ(r.partitions[0].explanation->core.size(), 1u);  // the read alone is impossible
}

TEST(LinZones, ExplainsAStaleRead) {
  testing::HistoryBuilder b;
  b.call(0, "write", 1, 1).call(0, "write", 2, 2).call(1, "read", nullptr, 1);
  const CheckResult r = check(b.history());
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.partitions[0].engine, "zones");
  const Explanation& ex = *r.partitions[0].explanation;
  EXPECT_EQ(ex.culprit.text, "read 1");
  ASSERT_EQ(ex.states.size(), 1u);
  EXPECT_EQ(ex.states[0].state, "2");
  EXPECT_EQ(ex.states[0].why, "read 1, but the register holds 2");
  EXPECT_EQ(ex.core.size(), 3u);
  EXPECT_TRUE(ex.core_minimal);
}

TEST(LinZones, UnknownWritesAndReads) {
  testing::HistoryBuilder valid;  // an info write seen late; an info read ignored
  valid.invoke(0, "write", 1).info(0, "write", 1);
  valid.call(1, "read", nullptr, nullptr).call(1, "read", nullptr, 1);
  valid.invoke(2, "read").info(2, "read", 7);
  EXPECT_EQ(check(valid.history()).verdict, Verdict::kValid);
  EXPECT_EQ(check(valid.history()).partitions[0].engine, "zones");

  testing::HistoryBuilder back;  // ... but the register cannot go back to nil
  back.invoke(0, "write", 1).info(0, "write", 1);
  back.call(1, "read", nullptr, 1).call(1, "read", nullptr, nullptr);
  EXPECT_EQ(check(back.history()).verdict, Verdict::kInvalid);

  testing::HistoryBuilder early;  // nor be read before the write was invoked
  early.call(1, "read", nullptr, 1).invoke(0, "write", 1).info(0, "write", 1);
  EXPECT_EQ(check(early.history()).verdict, Verdict::kInvalid);

  testing::HistoryBuilder failed;  // a failed write never happened
  failed.invoke(0, "write", 1).fail(0, "write", 1).call(1, "read", nullptr, 1);
  EXPECT_EQ(check(failed.history()).verdict, Verdict::kInvalid);
}

TEST(LinZones, OtherShapesAreSearched) {
  testing::HistoryBuilder twice;  // a value written twice
  twice.call(0, "write", 1, 1).call(0, "write", 1, 1).call(1, "read", nullptr, 1);
  EXPECT_EQ(check(twice.history()).partitions[0].engine, "wgl");
  testing::HistoryBuilder initial;  // nil written: not distinct from the initial value
  initial.call(0, "write", 1, 1)
      .call(0, "write", nullptr, nullptr)
      .call(1, "read", nullptr, nullptr);
  EXPECT_EQ(check(initial.history()).verdict, Verdict::kValid);
  EXPECT_EQ(check(initial.history()).partitions[0].engine, "wgl");
  testing::HistoryBuilder cas;  // a cas
  cas.call(0, "write", 1, 1).call(0, "cas", boost::json::array{1, 2}, boost::json::array{1, 2});
  cas.call(1, "read", nullptr, 2);
  EXPECT_EQ(check(cas.history(), "cas-register").verdict, Verdict::kValid);
  EXPECT_EQ(check(cas.history(), "cas-register").partitions[0].engine, "wgl");
  // Without a cas, a cas-register is a register.
  testing::HistoryBuilder plain;
  plain.call(0, "write", 1, 1).call(1, "read", nullptr, 1);
  EXPECT_EQ(check(plain.history(), "cas-register").partitions[0].engine, "zones");
}

// A generated history of 200,000 operations on one key: valid; then one late read
// returns the first value written, long overwritten.
TEST(LinZones, LargeGeneratedHistory) {
  RegisterHistoryOptions o;
  o.ops = 200000;
  o.processes = 30;
  o.distinct_values = true;
  History h = generate_register_history(o);
  CheckResult r = check(h);
  EXPECT_EQ(r.verdict, Verdict::kValid);
  EXPECT_EQ(r.partitions[0].engine, "zones");
  for (std::size_t i = h.ops.size() - 1; i > 0; --i) {
    Operation& op = h.ops[i];
    if (op.type == OpType::kOk && op.f == "read" && !op.value.is_null()) {
      op.value = 1;
      break;
    }
  }
  r = check(h);
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  ASSERT_TRUE(r.partitions[0].explanation);
  EXPECT_EQ(r.partitions[0].explanation->culprit.text, "read 1");
  // The core is the cycle: write 1, a later write, and the read (not 200,000 operations).
  EXPECT_LE(r.partitions[0].explanation->core.size(), 6u);
  EXPECT_TRUE(r.partitions[0].explanation->core_minimal);
}

}  // namespace
}  // namespace faultline
