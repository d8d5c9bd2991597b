// The linearizability models give the verdicts Knossos and Porcupine give on their kind of
// histories (issue 18): a nil read under --nil-reads unknown, and a set read listing an
// element twice. The histories are written here from the descriptions; the comment above
// each test says what the peer answers.

#include <gtest/gtest.h>

#include "checker/lin/check.h"
#include "tests/checker/lin_test_util.h"

namespace faultline {
namespace {
using testing::HistoryBuilder;

CheckResult check(const History& h, const std::string& model, NilReads nil,
                  std::optional<boost::json::value> initial = std::nullopt) {
  CheckOptions options;
  options.model = model;
  options.threads = 1;
  options.initial = std::move(initial);
  options.nil_reads = nil;
  return check_linearizable(h, options);
}

// Knossos' cas-register, initial 0: a read that timed out is recorded `:ok :read nil`
// (value unknown) and matches any state, so this is linearizable; read as "the register
// held nil" it is not.
History knossos_style_cas_register() {
  HistoryBuilder b;
  b.invoke(0, "write", 1).ok(0, "write", 1);
  b.invoke(1, "read").ok(1, "read", nullptr);
  b.invoke(2, "cas", boost::json::array{1, 2}).ok(2, "cas", boost::json::array{1, 2});
  b.invoke(1, "read").ok(1, "read", 2);
  b.invoke(3, "read").ok(3, "read", nullptr);
  return b.history();
}

TEST(LinPeerVerdicts, KnossosNilReadMatchesAnyStateOnlyWhenAskedTo) {
  const History h = knossos_style_cas_register();
  EXPECT_EQ(check(h, "cas-register", NilReads::kValue, 0).verdict, Verdict::kInvalid);
  EXPECT_EQ(check(h, "cas-register", NilReads::kUnknown, 0).verdict, Verdict::kValid);

  // The plain register (no cas) reads nil the same way.
  HistoryBuilder b;
  b.invoke(0, "write", 1).ok(0, "write", 1);
  b.invoke(1, "read").ok(1, "read", nullptr);
  b.invoke(0, "write", 2).ok(0, "write", 2);
  b.invoke(1, "read").ok(1, "read", 2);
  EXPECT_EQ(check(b.history(), "register", NilReads::kValue, 0).verdict, Verdict::kInvalid);
  EXPECT_EQ(check(b.history(), "register", NilReads::kUnknown, 0).verdict, Verdict::kValid);
}

// A wrong read stays wrong: --nil-reads unknown only frees nil reads.
TEST(LinPeerVerdicts, NilReadsUnknownStillCatchesAStaleRead) {
  HistoryBuilder b;
  b.invoke(0, "write", 1).ok(0, "write", 1);
  b.invoke(1, "read").ok(1, "read", nullptr);
  b.invoke(0, "write", 2).ok(0, "write", 2);
  b.invoke(1, "read").ok(1, "read", 1);  // 1 after 2 was written: stale
  auto r = check(b.history(), "cas-register", NilReads::kUnknown, 0);
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  ASSERT_TRUE(r.partitions[0].explanation);
  EXPECT_NE(r.partitions[0].explanation->text.find("read 1"), std::string::npos)
      << r.partitions[0].explanation->text;
}

TEST(LinPeerVerdicts, NilReadsUnknownForKvAndMultiRegister) {
  HistoryBuilder kv;
  kv.key("k").invoke(0, "put", "a").ok(0, "put", "a");
  kv.invoke(1, "get").ok(1, "get", nullptr);
  EXPECT_EQ(check(kv.history(), "kv", NilReads::kValue).verdict, Verdict::kInvalid);
  EXPECT_EQ(check(kv.history(), "kv", NilReads::kUnknown).verdict, Verdict::kValid);

  HistoryBuilder mr;
  boost::json::array write{boost::json::array{"write", "x", 1}};
  boost::json::array read{boost::json::array{"read", "x", nullptr}};
  mr.invoke(0, "txn", write).ok(0, "txn", write);
  mr.invoke(1, "txn", read).ok(1, "txn", read);
  EXPECT_EQ(check(mr.history(), "multi-register", NilReads::kValue).verdict, Verdict::kInvalid);
  EXPECT_EQ(check(mr.history(), "multi-register", NilReads::kUnknown).verdict, Verdict::kValid);
}

// Knossos' and Porcupine's set models: a read is a set, so [100 100 110] is no state.
TEST(LinPeerVerdicts, ASetReadListingAnElementTwiceIsNotLinearizable) {
  HistoryBuilder b;
  b.invoke(0, "add", 100).ok(0, "add", 100);
  b.invoke(1, "add", 110).ok(1, "add", 110);
  b.invoke(2, "read").ok(2, "read", boost::json::array{100, 100, 110});
  auto r = check(b.history(), "set", NilReads::kValue);
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  ASSERT_TRUE(r.partitions[0].explanation);
  const std::string& text = r.partitions[0].explanation->text;
  EXPECT_NE(text.find("read #{100 100 110}, which lists 100 twice"), std::string::npos) << text;
  EXPECT_NE(text.find("duplicate elements"), std::string::npos) << text;

  HistoryBuilder once;
  once.invoke(0, "add", 100).ok(0, "add", 100);
  once.invoke(1, "add", 110).ok(1, "add", 110);
  once.invoke(2, "read").ok(2, "read", boost::json::array{110, 100});
  EXPECT_EQ(check(once.history(), "set", NilReads::kValue).verdict, Verdict::kValid);
}

}  // namespace
}  // namespace faultline
