// Availability and latency inside and outside fault windows, on hand-made histories.

#include "checker/perf/availability.h"

#include <gtest/gtest.h>

#include "checker/perf/fault_windows.h"
#include "history_builder.h"

namespace faultline {
namespace {

using testing::HistoryBuilder;

History partitioned_history() {
  // Outside: 3 ok ops (latencies 10, 20, 30 ms). Inside [100, 200]: one ok read (5 ms), one
  // failed read, one write that never completes. A final read after healing is not counted.
  return HistoryBuilder()
      .write(0, 1, 0, 10)
      .read(1, 1, 20, 40)
      .write(0, 2, 50, 80)
      .nemesis("start-partition", 100)
      .read(1, 2, 110, 115)
      .op(2, "read", nullptr, 120, 130, "fail")
      .write(0, 3, 150, -1)
      .nemesis("stop-partition", 200)
      .op(3, "read", nullptr, 300, 301, "ok", 2, "n1", nullptr, true)
      .build();
}

TEST(FaultWindows, StartAndStopDelimitAWindow) {
  auto windows = fault_windows(partitioned_history());
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].kind, "partition");
  EXPECT_EQ(windows[0].start, 100'000'000);
  EXPECT_EQ(windows[0].end, 200'000'000);
  EXPECT_FALSE(windows[0].open);
  EXPECT_EQ(last_heal_time(partitioned_history()), 200'000'000);
}

TEST(FaultWindows, TheFinalHealDoesNotStretchAWindowThatAlreadyEnded) {
  History h = HistoryBuilder()
                  .nemesis("start-partition", 100)
                  .write(0, 1, 110, 120)
                  .nemesis("stop-partition", 200)
                  .write(0, 2, 300, 310)
                  .nemesis("stop-partition", 900)  // the run's final heal
                  .build();
  auto windows = fault_windows(h);
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_EQ(windows[0].end, 200'000'000);
}

TEST(FaultWindows, AFaultNeverStoppedLastsToTheEnd) {
  History h = HistoryBuilder().nemesis("start-kill", 10).write(0, 1, 20, 50).build();
  auto windows = fault_windows(h);
  ASSERT_EQ(windows.size(), 1u);
  EXPECT_TRUE(windows[0].open);
  EXPECT_EQ(windows[0].end, 50'000'000);
}

TEST(Availability, SplitsOperationsByFaultWindow) {
  AvailabilityResult r = check_availability(partitioned_history());
  EXPECT_EQ(r.fault_windows, 1u);
  EXPECT_EQ(r.outside_faults.operations, 3u);
  EXPECT_DOUBLE_EQ(r.outside_faults.availability(), 1.0);
  EXPECT_DOUBLE_EQ(r.outside_faults.latency_ms.p50, 20.0);
  EXPECT_DOUBLE_EQ(r.outside_faults.latency_ms.max, 30.0);
  EXPECT_EQ(r.in_faults.operations, 3u);
  EXPECT_EQ(r.in_faults.ok, 1u);
  EXPECT_EQ(r.in_faults.fail, 1u);
  EXPECT_EQ(r.in_faults.info, 1u);
  EXPECT_NEAR(r.in_faults.availability(), 1.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(r.in_faults.by_f_ms.at("read").max, 5.0);
  EXPECT_EQ(r.all.operations, 6u);  // the final read is not counted
  auto json = r.to_json();
  EXPECT_DOUBLE_EQ(json.at("in_faults").at("by_f").at("read").at("availability").as_double(), 0.5);
}

TEST(Availability, AClientBlockedThroughAFaultIsUnavailableForAllOfItInTime) {
  // Fault [1000, 3000] ms. Node n1 answers every 100 ms throughout; node n2 answers outside
  // the fault, but its one read inside blocks from 1000 ms to its timeout at 3000 ms.
  HistoryBuilder b;
  for (double t = 0; t < 4000; t += 100) b.read(0, 1, t, t + 5, "n1");
  for (double t = 0; t < 1000; t += 100) b.read(1, 1, t, t + 5, "n2");
  b.op(1, "read", nullptr, 1000, 3000, "info", nullptr, "n2");
  for (double t = 3010; t < 4000; t += 100) b.read(2, 1, t, t + 5, "n2");
  History h = b.nemesis("start-partition", 1000).nemesis("stop-partition", 3000).build();
  AvailabilityResult r = check_availability(h, AvailabilityOptions{500});
  // By operations the fault barely shows: one unanswered read among 22.
  EXPECT_NEAR(r.in_faults.availability(), 21.0 / 22, 1e-12);
  // In time: 8 bins of 500 ms, 4 of them in the fault; n2 was answered in none of those.
  EXPECT_EQ(r.time_in_faults.bins, 4u);
  EXPECT_EQ(r.time_in_faults.slots, 8u);
  EXPECT_EQ(r.time_in_faults.served, 4u);
  EXPECT_DOUBLE_EQ(r.time_in_faults.availability(), 0.5);
  EXPECT_DOUBLE_EQ(r.time_in_faults.by_f.at("read").availability(), 0.5);
  EXPECT_DOUBLE_EQ(r.time_outside_faults.availability(), 1.0);
  EXPECT_DOUBLE_EQ(r.time_in_faults.ok_per_s(), 20 / 2.0);
  EXPECT_DOUBLE_EQ(r.to_json().at("time").at("in_faults").at("availability").as_double(), 0.5);
  // Bin by bin (what the compare page plots over time): 2 lanes wanted service in each bin;
  // in the 4 fault bins only n1 was served.
  ASSERT_EQ(r.time_bins.size(), 8u);
  EXPECT_EQ(r.time_begin, 0);
  for (std::size_t i = 0; i < r.time_bins.size(); ++i) {
    const TimeBin& bin = r.time_bins[i];
    EXPECT_EQ(bin.in_faults, i >= 2 && i < 6) << "bin " << i;
    EXPECT_EQ(bin.slots, 2u) << "bin " << i;
    EXPECT_EQ(bin.served, bin.in_faults ? 1u : 2u) << "bin " << i;
  }
}

TEST(Availability, PerOpTypeOnlyTheTimeAClientWantedThatTypeCounts) {
  // Fault [1000, 3000] ms on node n1. Linearizable-like: a read blocks from 1100 ms to its
  // timeout at 3000. Serializable-like on n2: reads are answered at once, but the worker then
  // blocks in a write from 1200 ms to 3000. In time n2 is no better served overall, but
  // whenever it wanted a read it got one.
  History h = HistoryBuilder()
                  .nemesis("start-partition", 1000)
                  .read(0, 1, 0, 5, "n1")
                  .op(0, "read", nullptr, 1100, 3000, "info", nullptr, "n1")
                  .read(1, 1, 0, 5, "n2")
                  .read(1, 1, 1100, 1105, "n2")
                  .op(1, "write", 2, 1200, 3000, "info", nullptr, "n2")
                  .nemesis("stop-partition", 3000)
                  .read(2, 1, 3500, 3505, "n1")
                  .build();
  AvailabilityResult r = check_availability(h, AvailabilityOptions{500});
  // Bins of 500 ms: 2..5 in the fault. n1 wanted reads in all four, got none; n2 wanted a
  // read only in bin 2 and got it.
  const TimeSide& reads = r.time_in_faults.by_f.at("read");
  EXPECT_EQ(reads.slots, 5u);
  EXPECT_EQ(reads.served, 1u);
  EXPECT_DOUBLE_EQ(r.time_in_faults.by_f.at("write").availability(), 0.0);
  EXPECT_EQ(r.time_in_faults.slots, 8u);
  EXPECT_EQ(r.time_in_faults.served, 1u);
}

TEST(Availability, ACasWhoseCompareFailedWasAnswered) {
  History h = HistoryBuilder()
                  .write(0, 1, 0, 10)
                  .op(1, "cas", boost::json::array{7, 8}, 20, 30, "fail")  // no error: refused
                  .build();
  h.ops.push_back(h.ops[2]);  // the same cas again, refused by the compare
  h.ops.push_back(h.ops[3]);
  h.ops[4].time = 40'000'000;
  h.ops[5].time = 50'000'000;
  h.ops[5].error = boost::json::value("compare failed");
  h.ops[4].index = 4;
  h.ops[5].index = 5;
  AvailabilityResult r = check_availability(h);
  EXPECT_EQ(r.all.operations, 3u);
  EXPECT_EQ(r.all.compare_failed, 1u);
  EXPECT_NEAR(r.all.availability(), 2.0 / 3, 1e-12);
}

TEST(Availability, NoOperationsMeansNothingWasRefused) {
  AvailabilityResult r = check_availability(HistoryBuilder().nemesis("start-partition", 1).build());
  EXPECT_DOUBLE_EQ(r.in_faults.availability(), 1.0);
  EXPECT_EQ(r.in_faults.latency_ms.count, 0u);
}

}  // namespace
}  // namespace faultline
