// Each hand-written history shows one anomaly class; the checker must find exactly
// that class, explain it in words, and draw the right conclusion about models.

#include <gtest/gtest.h>

#include "tests/checker/txn_test_util.h"

namespace faultline::txn {
namespace {

using namespace testing;
using Set = std::set<std::string>;

TEST(TxnAnomalies, G0WriteCycle) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1],["append","y",1]])"},
      {1, "ok", R"([["append","x",2],["append","y",2]])"},
      {2, "ok", R"([["r","x",[1,2]],["r","y",[2,1]]])"},
  }));
  EXPECT_EQ(types(r), Set{"G0"});
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_TRUE(violates(r, "read-uncommitted"));
  EXPECT_TRUE(r.strongest_satisfied.empty());
  const std::string text = explanation(r, "G0");
  EXPECT_NE(text.find("T0 < T1 because T1 appended 2 to key \"x\" after T0's append of 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("T1 < T0 because T0 appended 1 to key \"y\" after T1's append of 2"),
            std::string::npos)
      << text;
}

TEST(TxnAnomalies, G1aAbortedRead) {
  auto r = check(concurrent({
      {0, "fail", R"([["append","x",1]])"},
      {1, "ok", R"([["r","x",[1]]])"},
  }));
  EXPECT_EQ(types(r), Set{"G1a"});
  // No dependency between committed txns: read-uncommitted, which allows G1a, has nothing
  // to be judged on (Elle: unknown, empty transaction graph).
  EXPECT_TRUE(r.strongest_satisfied.empty());
  EXPECT_EQ(r.undecided_models, std::vector<std::string>{"read-uncommitted"});
  EXPECT_NE(explanation(r, "G1a").find("T1 read key \"x\" as [1], holding 1, which T0 wrote and "
                                       "which failed"),
            std::string::npos)
      << explanation(r, "G1a");
}

TEST(TxnAnomalies, G1bIntermediateRead) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1],["append","x",2]])"},
      {1, "ok", R"([["r","x",[1]]])"},
  }));
  // T1 saw T0's first append (wr) but not its last (rw): Elle names the cycle G-single too.
  EXPECT_EQ(types(r), (Set{"G1b", "G-single"}));
  EXPECT_NE(explanation(r, "G1b").find("1 is an intermediate write of T0"), std::string::npos);
}

TEST(TxnAnomalies, G1cCircularInformationFlow) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1],["r","y",[1]]])"},
      {1, "ok", R"([["append","y",1],["r","x",[1]]])"},
  }));
  EXPECT_EQ(types(r), Set{"G1c"});
  EXPECT_TRUE(violates(r, "read-committed"));
  EXPECT_FALSE(violates(r, "read-uncommitted"));
  const std::string text = explanation(r, "G1c");
  EXPECT_NE(text.find("T0 < T1 because T1 read key \"x\" as [1], which ends with T0's append of 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("G1c"), std::string::npos);
}

TEST(TxnAnomalies, GSingleReadSkew) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1],["append","y",1]])"},
      {1, "ok", R"([["r","x",[]],["r","y",[1]]])"},
  }));
  EXPECT_EQ(types(r), Set{"G-single"});
  EXPECT_TRUE(violates(r, "snapshot-isolation"));
  EXPECT_TRUE(violates(r, "repeatable-read"));
  EXPECT_EQ(r.strongest_satisfied, std::vector<std::string>{"read-committed"});
  const std::string text = explanation(r, "G-single");
  EXPECT_NE(text.find("T1 < T0 because T1 read key \"x\" as [] and did not see T0's append of 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("T0 < T1 because T1 read key \"y\" as [1], which ends with T0's append of 1"),
            std::string::npos)
      << text;
}

TEST(TxnAnomalies, G2ItemWriteSkewIsAllowedBySnapshotIsolation) {
  auto r = check(concurrent({
      {0, "ok", R"([["r","x",[]],["append","y",1]])"},
      {1, "ok", R"([["r","y",[]],["append","x",1]])"},
  }));
  EXPECT_EQ(types(r), Set{"G2-item"});
  EXPECT_TRUE(violates(r, "repeatable-read"));
  EXPECT_FALSE(violates(r, "snapshot-isolation"));
  EXPECT_EQ(r.strongest_satisfied, std::vector<std::string>{"strong-snapshot-isolation"});
  const std::string text = explanation(r, "G2-item");
  EXPECT_NE(text.find("did not see T1's append of 1"), std::string::npos) << text;
  EXPECT_NE(text.find("did not see T0's append of 1"), std::string::npos) << text;
}

TEST(TxnAnomalies, GNonadjacentIsProscribedBySnapshotIsolation) {
  auto r = check(concurrent({
      {0, "ok", R"([["r","x",[]],["r","w",[1]]])"},
      {1, "ok", R"([["append","x",1],["append","y",1]])"},
      {2, "ok", R"([["r","y",[1]],["r","z",[]]])"},
      {3, "ok", R"([["append","z",1],["append","w",1]])"},
  }));
  EXPECT_EQ(types(r), Set{"G-nonadjacent"});
  EXPECT_TRUE(violates(r, "snapshot-isolation"));
  EXPECT_EQ(r.strongest_satisfied, std::vector<std::string>{"read-committed"});
}

TEST(TxnAnomalies, LostUpdate) {
  auto r = check(concurrent({
      {0, "ok", R"([["r","x",[]],["append","x",1]])"},
      {1, "ok", R"([["r","x",[]],["append","x",2]])"},
      {2, "ok", R"([["r","x",[1,2]]])"},
  }));
  // Two txns read the same version and both wrote: also a G-single cycle.
  EXPECT_EQ(types(r), (Set{"G-single", "lost-update"}));
  EXPECT_NE(explanation(r, "lost-update").find("T0 and T1 both read key \"x\" at the same version"),
            std::string::npos);
  EXPECT_EQ(r.strongest_satisfied, std::vector<std::string>{"read-committed"});
}

TEST(TxnAnomalies, DirtyUpdate) {
  auto r = check(concurrent({
      {0, "fail", R"([["append","x",1]])"},
      {1, "ok", R"([["append","x",2]])"},
      {2, "ok", R"([["r","x",[1,2]]])"},
  }));
  EXPECT_EQ(types(r), (Set{"G1a", "dirty-update"}));
  EXPECT_NE(explanation(r, "dirty-update").find("T0 wrote 1 to key \"x\" and failed, yet T1's"),
            std::string::npos);
}

TEST(TxnAnomalies, InternalInconsistency) {
  auto r = check(concurrent({{0, "ok", R"([["append","x",1],["r","x",[]]])"}}));
  EXPECT_EQ(types(r), Set{"internal"});
  EXPECT_TRUE(violates(r, "read-uncommitted"));
  EXPECT_NE(explanation(r, "internal").find("should have read a list ending in [1]"),
            std::string::npos)
      << explanation(r, "internal");
}

TEST(TxnAnomalies, DuplicateElements) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1]])"},
      {1, "ok", R"([["r","x",[1,1]]])"},
  }));
  EXPECT_EQ(types(r), Set{"duplicate-elements"});
}

TEST(TxnAnomalies, IncompatibleOrder) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1]])"},
      {1, "ok", R"([["append","x",2]])"},
      {2, "ok", R"([["r","x",[1,2]]])"},
      {3, "ok", R"([["r","x",[2,1]]])"},
  }));
  EXPECT_EQ(types(r), Set{"incompatible-order"});
  EXPECT_NE(explanation(r, "incompatible-order").find("neither is a prefix of the other"),
            std::string::npos);
}

TEST(TxnAnomalies, GarbageReadIsReportedNotFatal) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1]])"},
      {1, "ok", R"([["r","x",[1,9]]])"},
  }));
  EXPECT_EQ(types(r), Set{"garbage-read"});
  EXPECT_NE(explanation(r, "garbage-read").find("no transaction ever wrote 9 to key \"x\""),
            std::string::npos);
}

TEST(TxnAnomalies, StaleReadInOneProcessIsGSingleProcess) {
  auto r = check(sequential({
      {0, "ok", R"([["append","x",1]])"},
      {0, "ok", R"([["r","x",[]]])"},
  }));
  EXPECT_EQ(types(r), Set{"G-single-process"});
  EXPECT_FALSE(violates(r, "serializable"));
  EXPECT_TRUE(violates(r, "strong-session-serializable"));
  EXPECT_NE(explanation(r, "G-single-process").find("process 0 ran T0 before T2"),
            std::string::npos)
      << explanation(r, "G-single-process");
}

TEST(TxnAnomalies, StaleReadAcrossProcessesIsGSingleRealtime) {
  auto r = check(sequential({
      {0, "ok", R"([["append","x",1]])"},
      {1, "ok", R"([["r","x",[]]])"},
  }));
  EXPECT_EQ(types(r), Set{"G-single-realtime"});
  EXPECT_FALSE(violates(r, "strong-session-serializable"));
  EXPECT_TRUE(violates(r, "strict-serializable"));
  EXPECT_EQ(r.strongest_satisfied, std::vector<std::string>{"strong-session-serializable"});
  EXPECT_NE(
      explanation(r, "G-single-realtime").find("T0 completed (op 1) before T2 was invoked (op 2)"),
      std::string::npos);
}

TEST(TxnAnomalies, InfoTxnsCountOnlyWhenTheirWritesAreSeen) {
  // T0's outcome is unknown: its append was read, so it committed; T2's was never seen.
  auto r = check(concurrent({
      {0, "info", R"([["append","x",1]])"},
      {1, "ok", R"([["r","x",[1]]])"},
      {2, "info", R"([["append","x",2]])"},
  }));
  EXPECT_TRUE(r.anomaly_counts.empty());
  EXPECT_EQ(r.verdict, Verdict::kValid);
}

TEST(TxnAnomalies, RwRegisterWriteSkew) {
  auto r = check(concurrent({
                     {0, "ok", R"([["r","x",null],["w","y",1]])"},
                     {1, "ok", R"([["r","y",null],["w","x",1]])"},
                 }),
                 ObjectKind::kRwRegister);
  EXPECT_EQ(types(r), Set{"G2-item"});
  EXPECT_NE(explanation(r, "G2-item")
                .find("T0 < T1 because T0 read key \"x\" as nil, before T1's "
                      "write of 1"),
            std::string::npos)
      << explanation(r, "G2-item");
}

TEST(TxnAnomalies, RwRegisterAbortedIntermediateAndGarbageReads) {
  auto r = check(concurrent({
                     {0, "fail", R"([["w","x",1]])"},
                     {1, "ok", R"([["w","y",1],["w","y",2]])"},
                     {2, "ok", R"([["r","x",1],["r","y",1],["r","z",7]])"},
                 }),
                 ObjectKind::kRwRegister);
  EXPECT_EQ(types(r), (Set{"G1a", "G1b", "garbage-read"}));
}

TEST(TxnAnomalies, RwRegisterLostUpdate) {
  auto r = check(concurrent({
                     {0, "ok", R"([["w","x",1]])"},
                     {1, "ok", R"([["r","x",1],["w","x",2]])"},
                     {2, "ok", R"([["r","x",1],["w","x",3]])"},
                 }),
                 ObjectKind::kRwRegister);
  EXPECT_TRUE(types(r).count("lost-update"));
  EXPECT_TRUE(violates(r, "snapshot-isolation"));
}

}  // namespace
}  // namespace faultline::txn
