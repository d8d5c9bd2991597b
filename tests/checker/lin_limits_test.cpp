// Time and memory limits: an adversarial history comes back unknown, with the reason,
// instead of running forever or exhausting memory.

#include <gtest/gtest.h>

#include <chrono>

#include "tests/checker/lin_test_util.h"

namespace faultline {
namespace {

// n concurrent writes of distinct values, each read once by a concurrent read, then a
// cas from a value never written: the search tries ~2^n orders of the writes. (With a
// read instead of the cas, the polynomial register engine would decide it at once.)
History adversarial(int n) {
  testing::HistoryBuilder b;
  for (int p = 0; p < n; ++p) b.invoke(p, "write", p);
  for (int p = 0; p < n; ++p) b.invoke(100 + p, "read");
  for (int p = 0; p < n; ++p) b.ok(p, "write", p);
  for (int p = 0; p < n; ++p) b.ok(100 + p, "read", p);
  b.call(500, "cas", boost::json::array{-1, -2}, boost::json::array{-1, -2});
  return b.history();
}

TEST(LinLimits, TimeLimitGivesUnknown) {
  CheckOptions options;
  options.model = "cas-register";
  options.time_limit_s = 0.3;
  const auto t0 = std::chrono::steady_clock::now();
  const CheckResult r = check_linearizable(adversarial(40), options);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.verdict, Verdict::kUnknown);
  ASSERT_EQ(r.partitions.size(), 1u);
  EXPECT_EQ(r.partitions[0].reason, "time");
  EXPECT_LT(s, 5.0);
  EXPECT_EQ(r.to_json().at("partitions").as_array()[0].at("reason"), "time");
}

TEST(LinLimits, MemoryLimitGivesUnknown) {
  CheckOptions options;
  options.model = "cas-register";
  options.memory_limit_mib = 2;
  options.time_limit_s = 60;  // only a safety net: memory must run out first
  const CheckResult r = check_linearizable(adversarial(40), options);
  EXPECT_EQ(r.verdict, Verdict::kUnknown);
  ASSERT_EQ(r.partitions.size(), 1u);
  EXPECT_EQ(r.partitions[0].reason, "memory");
  EXPECT_LE(r.peak_memory_bytes, std::size_t{2} << 20);
}

TEST(LinLimits, SmallInstanceIsDecided) {
  CheckOptions options;
  options.model = "cas-register";
  EXPECT_EQ(check_linearizable(adversarial(6), options).verdict, Verdict::kInvalid);
}

}  // namespace
}  // namespace faultline
