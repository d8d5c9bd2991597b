// Every model on small hand-made histories: valid and invalid, and the semantics of
// `info` (may take effect later, or never) and `fail` (never took effect).

#include <gtest/gtest.h>

#include "checker/history/input_error.h"
#include "tests/checker/lin_test_util.h"

namespace faultline {
namespace {

using testing::HistoryBuilder;
using testing::verdict_of;
using A = boost::json::array;

TEST(LinRegister, SequentialReadsSeeTheLastWrite) {
  HistoryBuilder b;
  b.call(0, "read", nullptr, nullptr).call(0, "write", 1, 1).call(1, "read", nullptr, 1);
  EXPECT_EQ(verdict_of(b.history(), "register"), Verdict::kValid);
  b.call(1, "read", nullptr, 2);
  EXPECT_EQ(verdict_of(b.history(), "register"), Verdict::kInvalid);
}

TEST(LinRegister, ConcurrentWriteMayBeSeenOrNot) {
  HistoryBuilder b;
  b.invoke(0, "write", 1).call(1, "read", nullptr, 1).call(1, "read", nullptr, nullptr);
  b.ok(0, "write", 1);
  // read 1 then read nil: the write cannot be undone.
  EXPECT_EQ(verdict_of(b.history(), "register"), Verdict::kInvalid);
  HistoryBuilder c;
  c.invoke(0, "write", 1).call(1, "read", nullptr, nullptr).call(1, "read", nullptr, 1);
  c.ok(0, "write", 1);
  EXPECT_EQ(verdict_of(c.history(), "register"), Verdict::kValid);
}

TEST(LinRegister, InfoWriteMayTakeEffectLaterOrNever) {
  HistoryBuilder b;
  b.invoke(0, "write", 1).info(0, "write", 1);
  b.call(1, "read", nullptr, nullptr).call(1, "read", nullptr, 1);
  EXPECT_EQ(verdict_of(b.history(), "register"), Verdict::kValid);  // took effect late
  HistoryBuilder never;
  never.invoke(0, "write", 1).info(0, "write", 1).call(1, "read", nullptr, nullptr);
  EXPECT_EQ(verdict_of(never.history(), "register"), Verdict::kValid);  // never
  HistoryBuilder once;                                                  // ...but at most once
  once.invoke(0, "write", 1).info(0, "write", 1).call(1, "read", nullptr, 1);
  once.call(1, "write", 2, 2).call(1, "read", nullptr, 1);
  EXPECT_EQ(verdict_of(once.history(), "register"), Verdict::kInvalid);
}

TEST(LinRegister, InfoWriteCannotTakeEffectBeforeItsInvocation) {
  HistoryBuilder b;
  b.call(1, "read", nullptr, 1).invoke(0, "write", 1).info(0, "write", 1);
  EXPECT_EQ(verdict_of(b.history(), "register"), Verdict::kInvalid);
}

TEST(LinRegister, FailedWriteNeverHappened) {
  HistoryBuilder b;
  b.invoke(0, "write", 1).fail(0, "write", 1).call(1, "read", nullptr, 1);
  EXPECT_EQ(verdict_of(b.history(), "register"), Verdict::kInvalid);
}

TEST(LinRegister, ReadWithUnknownResultConstrainsNothing) {
  HistoryBuilder b;
  b.invoke(0, "read").info(0, "read", "timeout").invoke(1, "read").fail(1, "read");
  EXPECT_EQ(verdict_of(b.history(), "register"), Verdict::kValid);
}

TEST(LinRegister, NeverCompletedIsUnknown) {
  HistoryBuilder b;
  b.invoke(0, "write", 5).call(1, "read", nullptr, 5);
  EXPECT_EQ(verdict_of(b.history(), "register"), Verdict::kValid);
}

TEST(LinRegister, InitialValue) {
  HistoryBuilder b;
  b.call(0, "read", nullptr, 0);
  CheckOptions options;
  options.model = "register";
  EXPECT_EQ(check_linearizable(b.history(), options).verdict, Verdict::kInvalid);
  options.initial = 0;
  EXPECT_EQ(check_linearizable(b.history(), options).verdict, Verdict::kValid);
}

TEST(LinCasRegister, CasSwapsOnlyOnMatch) {
  HistoryBuilder b;
  b.call(0, "write", 1, 1).call(0, "cas", A{1, 2}, A{1, 2}).call(1, "read", nullptr, 2);
  EXPECT_EQ(verdict_of(b.history(), "cas-register"), Verdict::kValid);
  b.call(1, "cas", A{1, 3}, A{1, 3});  // holds 2: cannot succeed
  EXPECT_EQ(verdict_of(b.history(), "cas-register"), Verdict::kInvalid);
}

TEST(LinCasRegister, FailedCasIsDropped) {
  HistoryBuilder b;
  b.call(0, "write", 1, 1).invoke(0, "cas", A{1, 2}).fail(0, "cas", A{1, 2});
  b.call(1, "read", nullptr, 1);
  EXPECT_EQ(verdict_of(b.history(), "cas-register"), Verdict::kValid);
}

TEST(LinCasRegister, InfoCasMayHaveSwapped) {
  HistoryBuilder b;
  b.call(0, "write", 1, 1).invoke(0, "cas", A{1, 2}).info(0, "cas", A{1, 2});
  b.call(1, "read", nullptr, 2);
  EXPECT_EQ(verdict_of(b.history(), "cas-register"), Verdict::kValid);
  b.call(1, "read", nullptr, 1);  // cannot swap back
  EXPECT_EQ(verdict_of(b.history(), "cas-register"), Verdict::kInvalid);
}

TEST(LinCasRegister, RefusesMalformedCas) {
  HistoryBuilder b;
  b.call(0, "cas", 3, 3);
  EXPECT_THROW(verdict_of(b.history(), "cas-register"), InputError);
  HistoryBuilder c;
  c.call(0, "cas", A{1, 2}, A{1, 2});
  EXPECT_THROW(verdict_of(c.history(), "register"), InputError);  // no cas in a plain register
}

TEST(LinMutex, TwoHoldersAtOnceAreInvalid) {
  HistoryBuilder b;
  b.call(0, "acquire", nullptr, nullptr).call(1, "acquire", nullptr, nullptr);
  EXPECT_EQ(verdict_of(b.history(), "mutex"), Verdict::kInvalid);
  HistoryBuilder c;
  c.call(0, "acquire", nullptr, nullptr).invoke(1, "acquire").call(0, "release", nullptr, nullptr);
  c.ok(1, "acquire");
  EXPECT_EQ(verdict_of(c.history(), "mutex"), Verdict::kValid);
}

TEST(LinMutex, InfoReleaseMayHaveHappened) {
  HistoryBuilder b;
  b.call(0, "acquire", nullptr, nullptr).invoke(0, "release").info(0, "release");
  b.call(1, "acquire", nullptr, nullptr);
  EXPECT_EQ(verdict_of(b.history(), "mutex"), Verdict::kValid);
}

TEST(LinSet, ReadsSeeEveryCompletedAdd) {
  HistoryBuilder b;
  b.call(0, "add", 1, 1).invoke(1, "add", 2).call(0, "read", nullptr, A{1});
  b.call(0, "read", nullptr, A{2, 1}).ok(1, "add", 2);
  EXPECT_EQ(verdict_of(b.history(), "set"), Verdict::kValid);
  b.call(0, "read", nullptr, A{1});  // 2 vanished
  EXPECT_EQ(verdict_of(b.history(), "set"), Verdict::kInvalid);
}

TEST(LinSet, InfoAddMayAppearLater) {
  HistoryBuilder b;
  b.invoke(1, "add", 2)
      .info(1, "add", 2)
      .call(0, "read", nullptr, A{})
      .call(0, "read", nullptr, A{2});
  EXPECT_EQ(verdict_of(b.history(), "set"), Verdict::kValid);
  HistoryBuilder c;
  c.call(0, "read", nullptr, A{3});
  EXPECT_EQ(verdict_of(c.history(), "set"), Verdict::kInvalid);
}

TEST(LinFifoQueue, DequeuesInOrder) {
  HistoryBuilder b;
  b.call(0, "enqueue", 1, 1).call(0, "enqueue", 2, 2).call(1, "dequeue", nullptr, 1);
  b.call(1, "dequeue", nullptr, 2).call(1, "dequeue", nullptr, nullptr);
  EXPECT_EQ(verdict_of(b.history(), "fifo-queue"), Verdict::kValid);
  HistoryBuilder c;
  c.call(0, "enqueue", 1, 1).call(0, "enqueue", 2, 2).call(1, "dequeue", nullptr, 2);
  EXPECT_EQ(verdict_of(c.history(), "fifo-queue"), Verdict::kInvalid);
  EXPECT_EQ(verdict_of(c.history(), "unordered-queue"), Verdict::kValid);
}

TEST(LinQueues, InfoDequeueMayHaveRemovedAnElement) {
  for (const char* model : {"fifo-queue", "unordered-queue"}) {
    HistoryBuilder b;
    b.call(0, "enqueue", 1, 1).invoke(1, "dequeue").info(1, "dequeue");
    b.call(0, "dequeue", nullptr, nullptr);  // empty: the info dequeue took 1
    EXPECT_EQ(verdict_of(b.history(), model), Verdict::kValid) << model;
    HistoryBuilder c;
    c.call(0, "enqueue", 1, 1).call(0, "dequeue", nullptr, 1).call(0, "dequeue", nullptr, 1);
    EXPECT_EQ(verdict_of(c.history(), model), Verdict::kInvalid) << model;
  }
}

TEST(LinUnorderedQueue, InfoDequeueTakesAnyOneElement) {
  HistoryBuilder b;
  b.call(0, "enqueue", 1, 1).call(0, "enqueue", 2, 2).invoke(1, "dequeue").info(1, "dequeue");
  b.call(0, "dequeue", nullptr, 1).call(0, "dequeue", nullptr, nullptr);
  EXPECT_EQ(verdict_of(b.history(), "unordered-queue"), Verdict::kValid);  // it took 2
  b.call(0, "dequeue", nullptr, 2);  // ...so 2 cannot come out again
  EXPECT_EQ(verdict_of(b.history(), "unordered-queue"), Verdict::kInvalid);
}

TEST(LinKv, PerKeyStringsWithAppend) {
  HistoryBuilder b;
  b.key("a").call(0, "append", "x", "x").key("b").call(0, "put", "p", "p");
  b.key("a").call(1, "append", "y", "y").call(1, "get", nullptr, "xy");
  b.key("b").call(1, "get", nullptr, "p");
  EXPECT_EQ(verdict_of(b.history(), "kv"), Verdict::kValid);
  EXPECT_EQ(verdict_of(b.history(), "kv", false), Verdict::kValid);
  b.key("a").call(1, "get", nullptr, "yx");
  EXPECT_EQ(verdict_of(b.history(), "kv"), Verdict::kInvalid);
  EXPECT_EQ(verdict_of(b.history(), "kv", false), Verdict::kInvalid);
}

TEST(LinKv, ConcurrentAppendsInEitherOrderButOne) {
  HistoryBuilder b;
  b.key("k")
      .invoke(0, "append", "a")
      .invoke(1, "append", "b")
      .ok(0, "append", "a")
      .ok(1, "append", "b");
  b.call(2, "get", nullptr, "ba").call(3, "get", nullptr, "ba");
  EXPECT_EQ(verdict_of(b.history(), "kv"), Verdict::kValid);
  b.call(3, "get", nullptr, "ab");
  EXPECT_EQ(verdict_of(b.history(), "kv"), Verdict::kInvalid);
}

TEST(LinKv, UnseenAppendsBeforeAPut) {
  // Appends nobody sees are overwritten by a put: their order does not matter.
  HistoryBuilder b;
  b.key("k");
  for (int p = 0; p < 12; ++p) b.invoke(p, "append", boost::json::string(std::to_string(p)));
  b.invoke(20, "put", "z");
  for (int p = 0; p < 12; ++p) b.ok(p, "append", boost::json::string(std::to_string(p)));
  b.ok(20, "put", "z").call(21, "get", nullptr, "z").call(21, "append", "!", "!");
  b.call(21, "get", nullptr, "z!");
  EXPECT_EQ(verdict_of(b.history(), "kv"), Verdict::kValid);
  b.call(21, "get", nullptr, "z");
  EXPECT_EQ(verdict_of(b.history(), "kv"), Verdict::kInvalid);
}

TEST(LinMultiRegister, TransactionsAreAtomic) {
  using O = boost::json::array;
  HistoryBuilder b;
  b.call(0, "txn", O{O{"write", "x", 1}, O{"write", "y", 1}},
         O{O{"write", "x", 1}, O{"write", "y", 1}});
  b.call(1, "txn", O{O{"read", "x", nullptr}, O{"read", "y", nullptr}},
         O{O{"read", "x", 1}, O{"read", "y", 1}});
  EXPECT_EQ(verdict_of(b.history(), "multi-register"), Verdict::kValid);
  b.call(1, "txn", O{O{"read", "x", nullptr}, O{"read", "y", nullptr}},
         O{O{"read", "x", 1}, O{"read", "y", nullptr}});
  EXPECT_EQ(verdict_of(b.history(), "multi-register"), Verdict::kInvalid);
}

TEST(LinPartitions, KeysAreCheckedApart) {
  HistoryBuilder b;
  b.key(1)
      .call(0, "write", 1, 1)
      .key(2)
      .call(0, "read", nullptr, nullptr)
      .key(1)
      .call(1, "read", nullptr, 1);
  b.key(2).call(1, "read", nullptr, 7);
  CheckOptions options;
  options.model = "register";
  options.all_keys = true;
  CheckResult r = check_linearizable(b.history(), options);
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  ASSERT_EQ(r.partitions.size(), 2u);
  EXPECT_EQ(r.partitions[0].verdict, Verdict::kValid);
  EXPECT_EQ(r.partitions[1].verdict, Verdict::kInvalid);
  EXPECT_EQ(*r.partitions[1].key, boost::json::value(2));
  options.partition = false;
  r = check_linearizable(b.history(), options);
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.partitions.size(), 1u);
}

TEST(LinModels, UnknownModelListsTheModels) {
  HistoryBuilder b;
  CheckOptions options;
  options.model = "btree";
  try {
    check_linearizable(b.history(), options);
    FAIL() << "no exception";
  } catch (const UnknownModel& e) {
    EXPECT_NE(std::string(e.what()).find("cas-register"), std::string::npos);
  }
  EXPECT_EQ(model_names().size(), 8u);
}

}  // namespace
}  // namespace faultline
