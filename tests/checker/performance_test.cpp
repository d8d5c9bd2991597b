// The performance figures of results.json (checker/perf/performance.h), computed from the
// history alone: what `faultline test` and `faultline analyze` both print.

#include "checker/perf/performance.h"

#include <gtest/gtest.h>

#include "checker/history/pairing.h"
#include "checker/perf/over_time.h"
#include "tests/checker/history_builder.h"

namespace faultline {
namespace {

TEST(PerformanceSummary, CountsOutcomesAndMeasuresOkLatencyPerFunction) {
  // Over 1 s: three ok writes (10, 20, 30 ms), a failed write, a read that never completes.
  History h = testing::HistoryBuilder()
                  .write(0, 1, 0, 10)
                  .write(1, 2, 100, 120)
                  .write(2, 3, 200, 230)
                  .op(3, "write", 4, 300, 305, "fail")
                  .read(4, nullptr, 400, -1)
                  .write(5, 5, 900, 1000, "ok")
                  .build();
  boost::json::object perf = performance_summary(h);
  EXPECT_EQ(perf["operations"].as_uint64(), 6u);
  EXPECT_DOUBLE_EQ(perf["duration_s"].as_double(), 1.0);
  EXPECT_DOUBLE_EQ(perf["ok_ops_s"].as_double(), 4.0);
  // Completed: 4 ok, 1 fail, plus the read whose outcome is unknown (info).
  EXPECT_DOUBLE_EQ(perf["throughput_ops_s"].as_double(), 6.0);
  const auto& latency = perf["latency_ms"].as_object();
  EXPECT_DOUBLE_EQ(latency.at("p50").as_double(), 30);  // nearest rank of {10, 20, 30, 100}
  EXPECT_DOUBLE_EQ(latency.at("max").as_double(), 100);
  const auto& write = perf["by_f"].at("write").as_object();
  EXPECT_EQ(write.at("count").as_uint64(), 5u);
  EXPECT_EQ(write.at("ok").as_uint64(), 4u);
  EXPECT_EQ(write.at("fail").as_uint64(), 1u);
  const auto& read = perf["by_f"].at("read").as_object();
  EXPECT_EQ(read.at("info").as_uint64(), 1u);
  EXPECT_DOUBLE_EQ(read.at("latency_ms").at("max").as_double(), 0);  // no ok read
}

TEST(PerformanceSummary, AnEmptyHistoryHasZeroFigures) {
  boost::json::object perf = performance_summary(History{});
  EXPECT_EQ(perf["operations"].as_uint64(), 0u);
  EXPECT_DOUBLE_EQ(perf["throughput_ops_s"].as_double(), 0);
  EXPECT_DOUBLE_EQ(perf["latency_ms"].at("p99").as_double(), 0);
}

TEST(PerformanceOverTime, BinsOperationsByInvocationAndLeavesFinalReadsOut) {
  // Bins of 500 ms. Bin 0: ok writes of 10 and 30 ms, a fail. Bin 1: nothing. Bin 2: an ok
  // read of 40 ms invoked at 1200 ms, an info, a read never completed. A final read at
  // 1300 ms is not counted, nor its latency.
  History h = testing::HistoryBuilder()
                  .write(0, 1, 0, 10)
                  .write(1, 2, 100, 130)
                  .op(2, "write", 3, 200, 210, "fail")
                  .read(0, 1, 1200, 1240)
                  .op(3, "write", 4, 1250, 1400, "info")
                  .read(4, nullptr, 1260, -1)
                  .op(5, "read", nullptr, 1300, 1900, "ok", 2, "n1", nullptr, true)
                  .build();
  OverTime t = performance_over_time(h, pair_operations(h), 500);
  ASSERT_EQ(t.bins.size(), 3u);
  EXPECT_EQ(t.bins[0].ok, 2u);
  EXPECT_EQ(t.bins[0].fail, 1u);
  EXPECT_EQ(*t.bins[0].p50_ms, 30);  // nearest rank of {10, 30}: round(0.5) = 1
  EXPECT_EQ(*t.bins[0].p99_ms, 30);
  EXPECT_EQ(t.bins[1].ok + t.bins[1].fail + t.bins[1].info + t.bins[1].open, 0u);
  EXPECT_FALSE(t.bins[1].p50_ms);
  EXPECT_EQ(t.bins[2].ok, 1u);
  EXPECT_EQ(t.bins[2].info, 1u);
  EXPECT_EQ(t.bins[2].open, 1u);
  EXPECT_EQ(*t.bins[2].p99_ms, 40) << "the final read's 600 ms left out";
  boost::json::object json = t.to_json();
  EXPECT_EQ(json.at("bin_ms").to_number<double>(), 500);
  EXPECT_TRUE(json.at("p50_ms").as_array()[1].is_null());
  EXPECT_EQ(json.at("open").as_array()[2], 1);
}

}  // namespace
}  // namespace faultline
