// The process and real-time variants of cycle anomalies, and the explanations of the
// classes whose words txn_anomalies_test.cpp does not check: each history shows one
// anomaly, which needs the order edge its name says.

#include <gtest/gtest.h>

#include "tests/checker/txn_test_util.h"

namespace faultline::txn {
namespace {

using namespace testing;
using Set = std::set<std::string>;

TEST(TxnVariants, WritesOrderedAgainstRealTimeAreG0Realtime) {
  // T0 completes before T2 is invoked (txns are named by the op index of their
  // invocation), yet the list puts T2's append first.
  auto r = check(sequential({
      {0, "ok", R"([["append","x",1]])"},
      {1, "ok", R"([["append","x",2]])"},
      {2, "ok", R"([["r","x",[2,1]]])"},
  }));
  EXPECT_EQ(types(r), Set{"G0-realtime"});
  EXPECT_FALSE(violates(r, "serializable"));
  EXPECT_TRUE(violates(r, "strict-serializable"));
  const std::string text = explanation(r, "G0-realtime");
  EXPECT_NE(text.find("T2 < T0 because T0 appended 1 to key \"x\" after T2's append of 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("T0 < T2 because T0 completed (op 1) before T2 was invoked (op 2)"),
            std::string::npos)
      << text;
}

TEST(TxnVariants, ReadingOwnProcessFutureWriteIsG1cProcess) {
  // Process 0 runs T0 and then T2, but T0 read T2's append.
  auto r = check(sequential({
      {0, "ok", R"([["r","y",[1]]])"},
      {0, "ok", R"([["append","y",1]])"},
  }));
  EXPECT_EQ(types(r), Set{"G1c-process"});
  EXPECT_FALSE(violates(r, "serializable"));
  EXPECT_TRUE(violates(r, "strong-session-serializable"));
  const std::string text = explanation(r, "G1c-process");
  EXPECT_NE(text.find("T2 < T0 because T0 read key \"y\" as [1], which ends with T2's append of 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("T0 < T2 because process 0 ran T0 before T2"), std::string::npos) << text;
}

TEST(TxnVariants, GNonadjacentIsExplainedStepByStep) {
  auto r = check(concurrent({
      {0, "ok", R"([["r","x",[]],["r","w",[1]]])"},
      {1, "ok", R"([["append","x",1],["append","y",1]])"},
      {2, "ok", R"([["r","y",[1]],["r","z",[]]])"},
      {3, "ok", R"([["append","z",1],["append","w",1]])"},
  }));
  ASSERT_EQ(types(r), Set{"G-nonadjacent"});
  const std::string text = explanation(r, "G-nonadjacent");
  for (const char* step :
       {"T0 < T1 because T0 read key \"x\" as [] and did not see T1's append of 1",
        "T1 < T2 because T2 read key \"y\" as [1], which ends with T1's append of 1",
        "T2 < T3 because T2 read key \"z\" as [] and did not see T3's append of 1",
        "T3 < T0 because T0 read key \"w\" as [1], which ends with T3's append of 1",
        "anti-dependencies, none adjacent"}) {
    EXPECT_NE(text.find(step), std::string::npos) << step << "\n" << text;
  }
}

TEST(TxnVariants, DuplicateElementsIsExplained) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1]])"},
      {1, "ok", R"([["r","x",[1,1]]])"},
  }));
  ASSERT_EQ(types(r), Set{"duplicate-elements"});
  EXPECT_NE(explanation(r, "duplicate-elements")
                .find("T1 read key \"x\" as [1 1], which holds 1 more than once"),
            std::string::npos)
      << explanation(r, "duplicate-elements");
}

}  // namespace
}  // namespace faultline::txn
