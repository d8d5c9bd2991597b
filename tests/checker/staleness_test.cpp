// Staleness in time and versions on hand-made register histories with known answers, and on
// the recorded Jepsen etcd histories (every linearizable one has no stale read).

#include "checker/staleness/staleness.h"

#include <gtest/gtest.h>

#include "checker/history/input_error.h"
#include "checker/lin/check.h"
#include "controller/bench/gen/register_history.h"
#include "history_builder.h"

namespace faultline {
namespace {

using testing::HistoryBuilder;

const ReadStaleness& read_at(const StalenessResult& r, std::size_t i) {
  return r.reads.at(i);
}

TEST(Staleness, SequentialFreshReadsAreZero) {
  History h = HistoryBuilder()
                  .write(0, 1, 0, 10)
                  .read(1, 1, 20, 30)
                  .write(0, 2, 40, 50)
                  .read(1, 2, 60, 70)
                  .build();
  StalenessResult r = check_staleness(h);
  ASSERT_EQ(r.reads.size(), 2u);
  EXPECT_EQ(r.stale_reads(), 0u);
  EXPECT_EQ(r.delta, 0);
  EXPECT_EQ(r.k, 1);
}

TEST(Staleness, ReadMissingTwoWritesIsStaleSinceTheFirstCompleted) {
  // w1 [0,10], w2 [20,30], w3 [40,50]; a read at 100 returns 1: overwritten at 30 for certain.
  History h = HistoryBuilder()
                  .write(0, 1, 0, 10)
                  .write(0, 2, 20, 30)
                  .write(0, 3, 40, 50)
                  .read(1, 1, 100, 110)
                  .build();
  StalenessResult r = check_staleness(h);
  ASSERT_EQ(r.reads.size(), 1u);
  EXPECT_EQ(read_at(r, 0).staleness, 70'000'000);
  EXPECT_EQ(read_at(r, 0).versions, 2);
  EXPECT_EQ(r.delta, 70'000'000);
  EXPECT_EQ(r.k, 3);
  EXPECT_DOUBLE_EQ(r.all.time.max, 70.0);
  EXPECT_EQ(r.to_json().at("delta").as_double(), 70.0);
}

TEST(Staleness, OnlyWritesThatCompletedBeforeTheReadCount) {
  // w2 completes at 30, w3 only at 120, after the read began at 100.
  History h = HistoryBuilder()
                  .write(0, 1, 0, 10)
                  .write(0, 2, 20, 30)
                  .write(2, 3, 40, 120)
                  .read(1, 1, 100, 110)
                  .build();
  StalenessResult r = check_staleness(h);
  EXPECT_EQ(read_at(r, 0).staleness, 70'000'000);
  EXPECT_EQ(read_at(r, 0).versions, 1);
}

TEST(Staleness, ConcurrentWritesAreNeverCountedAsNewer) {
  // w1 [0,100] and w2 [10,20] overlap: either order is a linearization, so reading either
  // value afterwards is fresh.
  History h = HistoryBuilder()
                  .write(0, 1, 0, 100)
                  .write(1, 2, 10, 20)
                  .read(2, 1, 150, 160)
                  .read(3, 2, 170, 180)
                  .build();
  StalenessResult r = check_staleness(h);
  ASSERT_EQ(r.reads.size(), 2u);
  EXPECT_EQ(r.stale_reads(), 0u);
  EXPECT_EQ(r.delta, 0);
  EXPECT_EQ(r.k, 1);
}

TEST(Staleness, InitialNilIsOverwrittenByTheFirstCompletedWrite) {
  History h =
      HistoryBuilder().write(0, 1, 0, 10).read(1, nullptr, 30, 40).read(2, nullptr, 5, 8).build();
  StalenessResult r = check_staleness(h);
  ASSERT_EQ(r.reads.size(), 2u);
  EXPECT_EQ(read_at(r, 0).staleness, 0);  // invoked at 5: before the write completed
  EXPECT_EQ(read_at(r, 1).staleness, 20'000'000);
  EXPECT_EQ(read_at(r, 1).versions, 1);
}

TEST(Staleness, UnknownWriteCountsOnceAReadObservedIt) {
  // w1 never completes but a read sees 1 by 15; w2 [20,30] follows it; a read at 50 of 1 is
  // 20 ms stale. w3 (unknown, never observed) does not make the read of 2 at 80 stale.
  History h = HistoryBuilder()
                  .write(0, 1, 0, -1)
                  .read(1, 1, 5, 15)
                  .write(2, 2, 20, 30)
                  .read(1, 1, 50, 60)
                  .write(3, 3, 70, -1)
                  .read(1, 2, 80, 90)
                  .build();
  StalenessResult r = check_staleness(h);
  ASSERT_EQ(r.reads.size(), 3u);
  EXPECT_EQ(read_at(r, 0).staleness, 0);
  EXPECT_EQ(read_at(r, 1).staleness, 20'000'000);
  EXPECT_EQ(read_at(r, 1).versions, 1);
  EXPECT_EQ(read_at(r, 2).staleness, 0);
}

TEST(Staleness, CasIsAWriteOfItsNewValue) {
  History h = HistoryBuilder()
                  .write(0, 1, 0, 10)
                  .op(1, "cas", boost::json::array{1, 2}, 20, 30)
                  .op(1, "cas", boost::json::array{7, 9}, 32, 34, "fail")
                  .read(2, 1, 40, 50)
                  .build();
  StalenessResult r = check_staleness(h);
  ASSERT_EQ(r.reads.size(), 1u);
  EXPECT_EQ(read_at(r, 0).staleness, 10'000'000);
  EXPECT_EQ(read_at(r, 0).versions, 1);
}

TEST(Staleness, UnexplainedReadsAreCountedApart) {
  History h = HistoryBuilder()
                  .write(0, 1, 0, 10, "fail")
                  .read(1, 1, 20, 30)   // only a failed write wrote 1
                  .read(1, 99, 40, 50)  // nobody wrote 99
                  .read(1, 5, 60, 70)   // 5 is written later
                  .write(0, 5, 80, 90)
                  .build();
  StalenessResult r = check_staleness(h);
  EXPECT_EQ(r.reads.size(), 0u);
  ASSERT_EQ(r.unexplained.size(), 3u);
  EXPECT_EQ(r.to_json().at("unexplained_reads").as_uint64(), 3u);
}

TEST(Staleness, ValueWrittenTwiceIsAnInputError) {
  History h = HistoryBuilder().write(0, 1, 0, 10).write(0, 1, 20, 30).build();
  EXPECT_THROW(check_staleness(h), InputError);
}

TEST(Staleness, GroupsByNodeAndFaultWindow) {
  // A partition from 35 to 80 ms; n2 reads stale inside it, n1 reads fresh outside.
  History h = HistoryBuilder()
                  .write(0, 1, 0, 10)
                  .write(0, 2, 20, 30)
                  .nemesis("start-partition", 35)
                  .read(1, 1, 40, 45, "n2")
                  .nemesis("stop-partition", 80)
                  .read(2, 2, 90, 95, "n1")
                  .build();
  StalenessResult r = check_staleness(h);
  ASSERT_EQ(r.windows.size(), 1u);
  EXPECT_EQ(r.windows[0].kind, "partition");
  EXPECT_EQ(r.in_faults.stale_reads, 1u);
  EXPECT_DOUBLE_EQ(r.in_faults.time.max, 10.0);
  EXPECT_EQ(r.outside_faults.time.count, 1u);
  EXPECT_EQ(r.outside_faults.stale_reads, 0u);
  EXPECT_EQ(r.by_node.at("n2").stale_reads, 1u);
  EXPECT_EQ(r.by_node.at("n1").stale_reads, 0u);
  ASSERT_EQ(r.by_window.size(), 1u);
  EXPECT_EQ(r.by_window[0].stale_reads, 1u);
}

TEST(Staleness, KeysAreIndependent) {
  History h = HistoryBuilder()
                  .op(0, "write", 1, 0, 10, "ok", nullptr, "", 1)
                  .op(0, "write", 2, 20, 30, "ok", nullptr, "", 2)  // another key
                  .op(1, "read", nullptr, 40, 50, "ok", 1, "", 1)
                  .build();
  StalenessResult r = check_staleness(h);
  ASSERT_EQ(r.reads.size(), 1u);
  EXPECT_EQ(r.stale_reads(), 0u);
}

// Linearizable-by-construction histories (values unique per key, overlapping operations,
// unknown outcomes): no read is ever stale.
TEST(Staleness, GeneratedLinearizableHistoriesHaveNoStaleRead) {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    RegisterHistoryOptions options;
    options.ops = 400;
    options.keys = 3;
    options.processes = 6;
    options.distinct_values = true;
    options.seed = seed;
    StalenessResult r = check_staleness(generate_register_history(options));
    EXPECT_GT(r.reads.size(), 50u);
    EXPECT_EQ(r.stale_reads(), 0u) << "seed " << seed;
    EXPECT_EQ(r.unexplained.size(), 0u) << "seed " << seed;
    EXPECT_EQ(r.k, 1);
  }
}

// Soundness against the linearizability checker: one read made to return an older value;
// whenever staleness calls it stale, the history is not linearizable.
TEST(Staleness, StaleReadsAreNeverLinearizable) {
  std::size_t stale_histories = 0;
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    RegisterHistoryOptions options;
    options.ops = 40;
    options.processes = 4;
    options.info_fraction = 0.1;
    options.distinct_values = true;
    options.seed = seed;
    History h = generate_register_history(options);
    // The last ok read returns the value of the first ok write instead.
    std::optional<boost::json::value> first_written;
    for (const Operation& op : h.ops) {
      if (op.f == "write" && op.type == OpType::kOk) {
        first_written = op.value;
        break;
      }
    }
    if (!first_written) continue;
    for (auto it = h.ops.rbegin(); it != h.ops.rend(); ++it) {
      if (it->f == "read" && it->type == OpType::kOk) {
        it->value = *first_written;
        break;
      }
    }
    StalenessResult r = check_staleness(h);
    if (r.stale_reads() == 0) continue;
    ++stale_histories;
    CheckOptions lin;
    lin.model = "register";
    lin.threads = 1;
    EXPECT_EQ(check_linearizable(h, lin).verdict, Verdict::kInvalid) << "seed " << seed;
  }
  EXPECT_GT(stale_histories, 20u);
}

}  // namespace
}  // namespace faultline
