// The set checker on small hand-written histories, one anomaly each.

#include "checker/set/set_checker.h"

#include <gtest/gtest.h>

#include <sstream>

#include "checker/history/history.h"

namespace faultline {
namespace {

History parse(const std::string& jsonl) {
  std::istringstream in(jsonl);
  return read_history(in, "test.jsonl", HistoryFormat::kJsonl);
}

// Adds of 1, 2 (ok) and 3 (unknown outcome), then the given reads.
std::string adds() {
  return R"({"type":"invoke","process":0,"f":"add","value":1}
{"type":"ok","process":0,"f":"add","value":1}
{"type":"invoke","process":1,"f":"add","value":2}
{"type":"ok","process":1,"f":"add","value":2}
{"type":"invoke","process":2,"f":"add","value":3}
{"type":"info","process":2,"f":"add","value":3}
)";
}

std::string read(int process, const std::string& elements, bool final = false) {
  std::string extra = final ? R"(,"final":true)" : "";
  return R"({"type":"invoke","process":)" + std::to_string(process) +
         R"(,"f":"read","value":null)" + extra + "}\n" + R"({"type":"ok","process":)" +
         std::to_string(process) + R"(,"f":"read","value":)" + elements + "}\n";
}

TEST(SetChecker, EverythingKeptIsValidAndUnknownAddsThatLandedAreRecovered) {
  auto r = check_set(
      parse(adds() + read(5, "[1,2,3]") + read(6, "[1,2,3]", true) + read(7, "[1,2,3]", true)));
  EXPECT_EQ(r.verdict, Verdict::kValid) << r.summary();
  EXPECT_EQ(r.acknowledged, 2u);
  EXPECT_EQ(r.unknown, 1u);
  EXPECT_EQ(r.final_reads, 2u);
  EXPECT_EQ(r.recovered, std::vector<std::int64_t>{3});
  EXPECT_TRUE(r.lost.empty());
}

TEST(SetChecker, AnAcknowledgedElementMissingFromAFinalReadIsLost) {
  auto r = check_set(parse(adds() + read(6, "[1,2]", true) + read(7, "[1]", true)));
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.lost, std::vector<std::int64_t>{2});
  EXPECT_EQ(r.to_json().at("lost").at("count"), 1);
}

TEST(SetChecker, AnElementNeverAddedIsUnexpected) {
  auto r = check_set(parse(adds() + read(6, "[1,2,9]", true)));
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.unexpected, std::vector<std::int64_t>{9});
}

TEST(SetChecker, AReadMissingAKnownElementThatLaterAppearsIsStale) {
  auto h = adds() + read(5, "[1]") + read(6, "[1,2]", true);
  auto r = check_set(parse(h));
  EXPECT_EQ(r.verdict, Verdict::kInvalid) << r.summary();
  EXPECT_EQ(r.stale, std::vector<std::int64_t>{2});
  EXPECT_EQ(r.stale_reads, 1u);
  ASSERT_EQ(r.stale_examples.size(), 1u);
  EXPECT_EQ(r.stale_examples[0].element, 2);
  EXPECT_EQ(r.stale_examples[0].read_index, 6);   // the read's invocation
  EXPECT_EQ(r.stale_examples[0].known_index, 3);  // the add's completion
  EXPECT_NE(r.summary().find("lacks element 2"), std::string::npos);

  // With serializable reads staleness is allowed: counted, not an anomaly.
  SetCheckOptions relaxed;
  relaxed.stale_is_anomaly = false;
  auto relaxed_result = check_set(parse(h), relaxed);
  EXPECT_EQ(relaxed_result.verdict, Verdict::kValid);
  EXPECT_EQ(relaxed_result.stale.size(), 1u);
}

TEST(SetChecker, AReadConcurrentWithAnAddMayMissIt) {
  // The read is invoked before add 4 completes: missing it is fine.
  auto h = std::string(R"({"type":"invoke","process":0,"f":"add","value":4}
{"type":"invoke","process":1,"f":"read","value":null}
{"type":"ok","process":0,"f":"add","value":4}
{"type":"ok","process":1,"f":"read","value":[]}
)") + read(2, "[4]", true);
  auto r = check_set(parse(h));
  EXPECT_EQ(r.verdict, Verdict::kValid) << r.summary();
}

// Knossos and Porcupine reject such a read: a set holds each element once.
TEST(SetChecker, AReadListingAnElementTwiceIsDuplicated) {
  auto r = check_set(parse(adds() + read(5, "[1,1,2]") + read(6, "[1,2,3]", true)));
  EXPECT_EQ(r.verdict, Verdict::kInvalid) << r.summary();
  EXPECT_EQ(r.duplicated, (std::vector<std::int64_t>{1}));
  EXPECT_EQ(r.duplicate_reads, 1u);
  EXPECT_TRUE(r.lost.empty());
  EXPECT_TRUE(r.stale.empty());  // the repeated element still counts as present once
  EXPECT_EQ(r.to_json().at("duplicated").at("count"), 1);
  EXPECT_NE(r.summary().find("lists 1 more than once"), std::string::npos) << r.summary();

  // A final read listing an element twice still holds it: duplicated, not lost.
  auto in_final = check_set(parse(adds() + read(6, "[2,1,2,3]", true)));
  EXPECT_EQ(in_final.verdict, Verdict::kInvalid) << in_final.summary();
  EXPECT_EQ(in_final.duplicated, (std::vector<std::int64_t>{2}));
  EXPECT_TRUE(in_final.lost.empty()) << in_final.summary();
  EXPECT_EQ(in_final.recovered, (std::vector<std::int64_t>{3}));
}

TEST(SetChecker, WithoutAnySuccessfulReadTheVerdictIsUnknown) {
  auto r = check_set(parse(adds()));
  EXPECT_EQ(r.verdict, Verdict::kUnknown);
  EXPECT_FALSE(r.reason.empty());
}

TEST(SetChecker, ANonIntegerElementIsAnInputErrorNamingTheLine) {
  auto h = adds() + R"({"type":"invoke","process":5,"f":"read","value":null}
{"type":"ok","process":5,"f":"read","value":["x"]}
)";
  try {
    check_set(parse(h));
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 8u);
  }
}

}  // namespace
}  // namespace faultline
