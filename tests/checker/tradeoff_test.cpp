// The trade-off summary every run's results.json and `faultline compare --json` carry.

#include "checker/staleness/tradeoff.h"

#include <gtest/gtest.h>

#include "history_builder.h"

namespace faultline {
namespace {

using testing::HistoryBuilder;
namespace json = boost::json;

TEST(Tradeoff, SummarisesVerdictStalenessAvailabilityAndLatency) {
  History h = HistoryBuilder()
                  .write(0, 1, 0, 10)
                  .write(0, 2, 20, 30)
                  .nemesis("start-partition", 35)
                  .read(1, 1, 40, 50, "n2")                // 10 ms, 1 version stale
                  .op(2, "read", nullptr, 55, 60, "fail")  // unavailable
                  .nemesis("stop-partition", 80)
                  .read(1, 2, 90, 100, "n1")
                  .build();
  json::object results{{"verdict", "invalid"}, {"partition_counts", {{"invalid", 1}}}};
  json::object s = tradeoff_summary(h, results, TradeoffOptions{"read-from=replica", 30});
  EXPECT_EQ(s.at("mode"), "read-from=replica");
  EXPECT_EQ(s.at("valid"), json::value(false));
  EXPECT_EQ(s.at("anomalies").at("non-linearizable keys").as_int64(), 1);
  EXPECT_EQ(s.at("anomalies").at("stale reads").as_uint64(), 1u);
  EXPECT_DOUBLE_EQ(s.at("staleness_ms").at("max").as_double(), 10.0);
  EXPECT_DOUBLE_EQ(s.at("staleness_versions").at("max").as_double(), 1.0);
  EXPECT_DOUBLE_EQ(s.at("delta_ms").as_double(), 10.0);
  EXPECT_EQ(s.at("k").as_int64(), 2);
  EXPECT_DOUBLE_EQ(s.at("ok_fraction_in_faults").as_double(), 0.5);
  EXPECT_DOUBLE_EQ(s.at("ok_fraction_outside_faults").as_double(), 1.0);
  // In time: the 100 ms run is one 1-s bin, outside faults (its middle is); 3 of its 4 client
  // lanes (process 0, node n2, process 2, node n1) were answered in it.
  EXPECT_TRUE(s.at("availability_in_faults").is_null());
  EXPECT_DOUBLE_EQ(s.at("availability_outside_faults").as_double(), 0.75);
  EXPECT_EQ(s.at("schema"), "faultline.tradeoff/2");
  EXPECT_DOUBLE_EQ(s.at("latency_ms").at("p99").as_double(), 10.0);
  EXPECT_TRUE(s.at("convergence_ms").is_null());
  EXPECT_EQ(s.at("converged"), "unknown");
}

TEST(Tradeoff, ASetRunHasNoStalenessButItsCheckersAnomalies) {
  History h = HistoryBuilder()
                  .op(0, "add", 1, 0, 10)
                  .op(1, "read", nullptr, 20, 30, "ok", json::array{1}, "n1", nullptr, true)
                  .build();
  json::object results{{"verdict", "valid"}, {"lost", {{"count", 0}}}, {"stale", {{"count", 3}}}};
  json::object s = tradeoff_summary(h, results);
  EXPECT_EQ(s.at("valid"), json::value(true));
  EXPECT_TRUE(s.at("staleness_ms").is_null());
  EXPECT_EQ(s.at("anomalies").as_object().size(), 1u);
  EXPECT_EQ(s.at("anomalies").at("stale").as_int64(), 3);
  EXPECT_EQ(s.at("converged"), json::value(true));
  EXPECT_TRUE(s.at("availability_in_faults").is_null());  // no fault window
}

TEST(Tradeoff, RepeatedValuesLeaveStalenessOutWithAReason) {
  History h = HistoryBuilder().write(0, 1, 0, 10).write(0, 1, 20, 30).read(1, 1, 40, 50).build();
  json::object s = tradeoff_summary(h, json::object{{"verdict", "unknown"}});
  EXPECT_EQ(s.at("valid"), "unknown");
  EXPECT_TRUE(s.at("staleness_ms").is_null());
  EXPECT_NE(json::serialize(s.at("staleness_error")).find("unique"), std::string::npos);
}

}  // namespace
}  // namespace faultline
