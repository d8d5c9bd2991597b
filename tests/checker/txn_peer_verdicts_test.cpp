// The transactional checker gives the verdicts Elle gives (issue 18). Every history here
// is written for this file from the description of the behaviour; the comment above each
// test says what Elle answers on such a history.

#include <gtest/gtest.h>

#include <sstream>

#include "tests/checker/txn_test_util.h"

namespace faultline::txn {
namespace {
using namespace testing;
using Set = std::set<std::string>;

History parse(const std::string& jsonl) {
  std::istringstream in(jsonl);
  return read_history(in, "test.jsonl", HistoryFormat::kJsonl);
}

// Elle (list-append): future-read, invalid from read-atomic up (snapshot isolation,
// serializable, strict serializable). faultline reads it as a one-transaction G1c, so
// invalid from read-committed up; read-uncommitted allows it.
TEST(TxnPeerVerdicts, ListAppendReadOfTheTxnsOwnLaterAppendIsAFutureRead) {
  const History h = concurrent({
      {0, "ok", R"([["r","x",[1]],["append","x",1]])"},
      {1, "ok", R"([["append","y",5],["r","y",[5]]])"},
  });
  auto r = check(h, ObjectKind::kListAppend, "read-committed");
  EXPECT_EQ(types(r), Set{"future-read"});
  EXPECT_EQ(r.verdict, Verdict::kInvalid) << r.summary();
  EXPECT_TRUE(violates(r, "read-committed"));
  EXPECT_TRUE(violates(r, "strict-serializable"));
  EXPECT_FALSE(violates(r, "read-uncommitted"));
  const std::string text = explanation(r, "future-read");
  EXPECT_NE(text.find("T0 read key \"x\" as [1], which already holds 1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("only later, in micro-op 2"), std::string::npos) << text;
}

// Elle (list-append): future-read when a read after the txn's own append already holds an
// element the txn appends later still; the read is consistent with the earlier append.
TEST(TxnPeerVerdicts, ListAppendFutureReadAfterAnOwnAppend) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1],["r","x",[7,1]],["append","x",7]])"},
  }));
  EXPECT_EQ(types(r), Set{"future-read"});
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
}

// The same on registers: the txn reads the value it writes only afterwards (values are
// unique per key, so nobody else wrote it).
TEST(TxnPeerVerdicts, RwRegisterReadOfTheTxnsOwnLaterWriteIsAFutureRead) {
  auto r = check(concurrent({
                     {0, "ok", R"([["r","x",3],["w","x",3]])"},
                     {1, "ok", R"([["w","y",1]])"},
                     {2, "ok", R"([["r","y",1]])"},
                 }),
                 ObjectKind::kRwRegister, "read-committed");
  EXPECT_EQ(types(r), Set{"future-read"});
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_NE(explanation(r, "future-read").find("writes 3 to key \"x\" only later"),
            std::string::npos)
      << explanation(r, "future-read");
}

// A read of the txn's own earlier write is no future read.
TEST(TxnPeerVerdicts, ReadingAnEarlierOwnWriteIsFine) {
  auto r = check(sequential({
                     {0, "ok", R"([["w","x",3],["r","x",3]])"},
                     {0, "ok", R"([["r","x",3],["w","x",4]])"},
                 }),
                 ObjectKind::kRwRegister);
  EXPECT_TRUE(types(r).empty()) << r.summary();
  EXPECT_EQ(r.verdict, Verdict::kValid) << r.summary();
}

// Elle: valid?  :unknown, :empty-transaction-graph, when no committed txn depends on another.
TEST(TxnPeerVerdicts, NoDependencyAtAllIsUnknownLikeElle) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1]])"},
      {1, "ok", R"([["append","y",1]])"},
  }));
  EXPECT_EQ(r.verdict, Verdict::kUnknown);
  EXPECT_TRUE(r.empty_transaction_graph);
  EXPECT_NE(r.reason.find("empty transaction graph"), std::string::npos) << r.reason;
  EXPECT_TRUE(r.to_json().at("empty_transaction_graph").as_bool());
  // One observed write is enough to make it checkable.
  auto seen = check(concurrent({
      {0, "ok", R"([["append","x",1]])"},
      {1, "ok", R"([["r","x",[1]]])"},
  }));
  EXPECT_EQ(seen.verdict, Verdict::kValid) << seen.summary();
  EXPECT_FALSE(seen.empty_transaction_graph);
}

// Real-time order alone closes no cycle, so two sequential txns that never observe each
// other are no more checkable at strict serializability than at serializability (Elle,
// which adds the real-time graph for strict models, would answer valid there). No model
// is claimed satisfied; an anomaly found without edges still decides.
TEST(TxnPeerVerdicts, RealTimeOrderAloneIsNoDependency) {
  const History h = sequential({
      {0, "ok", R"([["append","x",1]])"},
      {1, "ok", R"([["append","y",1]])"},
  });
  auto strict = check(h);
  EXPECT_EQ(strict.verdict, Verdict::kUnknown) << strict.summary();
  EXPECT_TRUE(strict.strongest_satisfied.empty()) << strict.summary();
  EXPECT_EQ(strict.undecided_models.size(), 9u) << strict.summary();
  EXPECT_EQ(check(h, ObjectKind::kListAppend, "serializable").verdict, Verdict::kUnknown);
  // Elle's G1a example: a read of a failed write, nothing else. Unknown where G1a is
  // allowed, invalid where it is proscribed.
  const History g1a = sequential({
      {0, "fail", R"([["append","x",1]])"},
      {1, "ok", R"([["r","x",[1]]])"},
  });
  EXPECT_EQ(check(g1a, ObjectKind::kListAppend, "read-uncommitted").verdict, Verdict::kUnknown);
  EXPECT_EQ(check(g1a, ObjectKind::kListAppend, "read-committed").verdict, Verdict::kInvalid);
}

// Jepsen rw-register tests record txns under f read, write and txn; Elle reads the
// micro-ops whatever the f.
TEST(TxnPeerVerdicts, AnyFWhoseValueIsMicroOpsIsATransaction) {
  const History h = parse(
      R"({"type":"invoke","process":0,"f":"write","value":[["w","x",1]]}
{"type":"ok","process":0,"f":"write","value":[["w","x",1]]}
{"type":"invoke","process":1,"f":"read","value":[["r","x",null]]}
{"type":"ok","process":1,"f":"read","value":[["r","x",1]]}
{"type":"invoke","process":2,"f":"txn","value":[["r","x",null],["w","x",2]]}
{"type":"ok","process":2,"f":"txn","value":[["r","x",1],["w","x",2]]}
{"type":"invoke","process":3,"f":"read","value":[["r","x",null]]}
{"type":"ok","process":3,"f":"read","value":[["r","x",1]]}
)");
  auto r = check(h, ObjectKind::kRwRegister);
  EXPECT_EQ(r.txns_ok, 4u);
  // process 3 read 1 after process 2 had overwritten it: a stale read in real time.
  EXPECT_EQ(types(r), Set{"G-single-realtime"}) << r.summary();
  EXPECT_EQ(check(parse(R"({"type":"invoke","process":0,"f":"read","value":[["r","x",null]]}
{"type":"ok","process":0,"f":"read","value":[["r","x",[1]]]}
{"type":"invoke","process":1,"f":"append","value":[["append","x",1]]}
{"type":"ok","process":1,"f":"append","value":[["append","x",1]]}
)"))
                .txns_ok,
            2u);
}

TEST(TxnPeerVerdicts, AValueThatIsNoListOfMicroOpsNamesTheLine) {
  try {
    check(parse(R"({"type":"invoke","process":0,"f":"read","value":null}
{"type":"ok","process":0,"f":"read","value":3}
)"),
          ObjectKind::kRwRegister);
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("test.jsonl:2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not a list of micro-ops"), std::string::npos) << e.what();
  }
}

// Without processes the checker claims no process order: session models stay undecided,
// strict serializability (real time) is still judged.
TEST(TxnPeerVerdicts, WithoutProcessesNoProcessOrderIsClaimed) {
  History h = concurrent({
      {0, "ok", R"([["append","x",1]])"},
      {1, "ok", R"([["r","x",[1]]])"},
  });
  h.processes_known = false;
  auto strict = check(h);
  EXPECT_EQ(strict.verdict, Verdict::kValid) << strict.summary();
  EXPECT_FALSE(strict.processes_known);
  EXPECT_TRUE(strict.to_json().at("process_order").as_string().starts_with("unknown"));
  EXPECT_NE(strict.summary().find("process order unknown"), std::string::npos);
  auto session = check(h, ObjectKind::kListAppend, "strong-session-serializable");
  EXPECT_EQ(session.verdict, Verdict::kUnknown) << session.summary();
  EXPECT_NE(session.reason.find("process order unknown"), std::string::npos) << session.reason;
  h.processes_known = true;
  EXPECT_EQ(check(h, ObjectKind::kListAppend, "strong-session-serializable").verdict,
            Verdict::kValid);
}

// A stale read within one process is G-single-process with processes; without them no
// process edge is claimed, and the same cycle is found through real-time order only.
TEST(TxnPeerVerdicts, WithoutProcessesThereAreNoProcessEdges) {
  const std::string text =
      R"({"type":"invoke","process":0,"f":"txn","value":[["append","x",1]]}
{"type":"ok","process":0,"f":"txn","value":[["append","x",1]]}
{"type":"invoke","process":0,"f":"txn","value":[["r","x",null]]}
{"type":"ok","process":0,"f":"txn","value":[["r","x",[]]]}
)";
  History h = parse(text);
  EXPECT_TRUE(types(check(h)).count("G-single-process")) << check(h).summary();
  h.processes_known = false;
  auto r = check(h);
  EXPECT_FALSE(types(r).count("G-single-process")) << r.summary();
  EXPECT_TRUE(types(r).count("G-single-realtime")) << r.summary();
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
}

// Elle reports G-single beside G1b for an intermediate read at strict serializability:
// the reader did not see the writer's final append (rw) and saw its first one (wr).
TEST(TxnPeerVerdicts, AnIntermediateReadIsAlsoGSingle) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1],["append","x",2]])"},
      {1, "ok", R"([["r","x",[1]]])"},
  }));
  EXPECT_EQ(types(r), (Set{"G1b", "G-single"}));
}

// Elle still infers edges on a key whose reads disagree, and reports the G1c they close
// beside incompatible-order (or duplicate-elements).
TEST(TxnPeerVerdicts, IncompatibleOrderKeysStillGiveEdges) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1],["r","y",[1]]])"},
      {1, "ok", R"([["append","y",1],["r","x",[1]]])"},
      {2, "ok", R"([["append","x",2]])"},
      {3, "ok", R"([["r","x",[1,2]]])"},
      {4, "ok", R"([["r","x",[2,1]]])"},
  }));
  EXPECT_TRUE(types(r).count("incompatible-order")) << r.summary();
  EXPECT_TRUE(types(r).count("G1c")) << r.summary();
}

TEST(TxnPeerVerdicts, DuplicateElementKeysStillGiveEdges) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1],["r","y",[1]]])"},
      {1, "ok", R"([["append","y",1],["r","x",[1]]])"},
      {2, "ok", R"([["r","x",[1,1]]])"},
  }));
  EXPECT_TRUE(types(r).count("duplicate-elements")) << r.summary();
  EXPECT_TRUE(types(r).count("G1c")) << r.summary();
}

}  // namespace
}  // namespace faultline::txn
