// The transactional checker as a user meets it: verdicts on valid histories, bad input,
// limits, EDN input and the command line.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "checker/history/jsonl.h"
#include "controller/bench/gen/list_append_history.h"
#include "tests/checker/txn_test_util.h"

namespace faultline::txn {
namespace {

using namespace testing;

TEST(TxnCheck, SerialHistoryPassesStrictSerializable) {
  auto r = check(sequential({
      {0, "ok", R"([["append","x",1],["r","y",[]]])"},
      {1, "ok", R"([["r","x",[1]],["append","y",5],["append","x",2]])"},
      {0, "ok", R"([["r","x",[1,2]],["r","y",[5]]])"},
      {2, "fail", R"([["append","x",3]])"},
      {1, "ok", R"([["r","x",[1,2]]])"},
  }));
  EXPECT_EQ(r.verdict, Verdict::kValid) << r.summary();
  EXPECT_TRUE(r.anomaly_counts.empty());
  EXPECT_EQ(r.strongest_satisfied, std::vector<std::string>{"strict-serializable"});
  EXPECT_TRUE(r.violated_models.empty());
}

TEST(TxnCheck, GeneratedConcurrentHistoryIsValidAndStaleReadsAreNot) {
  ListAppendGenOptions g;
  g.txns = 3000;
  g.active_keys = 10;
  g.fail_fraction = 0.05;
  g.info_fraction = 0.05;
  TxnCheckOptions o;
  auto valid = check_transactions(generate_list_append_history(g), o);
  EXPECT_EQ(valid.verdict, Verdict::kValid) << valid.summary();
  EXPECT_GT(valid.edges, 3000u);
  g.stale_read_fraction = 0.05;
  auto stale = check_transactions(generate_list_append_history(g), o);
  EXPECT_EQ(stale.verdict, Verdict::kInvalid);
  EXPECT_FALSE(stale.examples.empty());
}

TEST(TxnCheck, VerdictFollowsTheRequestedModel) {
  auto h = concurrent({
      {0, "ok", R"([["r","x",[]],["append","y",1]])"},
      {1, "ok", R"([["r","y",[]],["append","x",1]])"},
  });
  EXPECT_EQ(check(h, ObjectKind::kListAppend, "snapshot-isolation").verdict, Verdict::kValid);
  auto rr = check(h, ObjectKind::kListAppend, "repeatable-read");
  EXPECT_EQ(rr.verdict, Verdict::kInvalid);
  EXPECT_EQ(rr.reason, "repeatable-read proscribes G2-item");
  EXPECT_THROW(check(h, ObjectKind::kListAppend, "linearizable"), UnknownConsistencyModel);
}

TEST(TxnCheck, UnknownMicroOpIsAnInputErrorNamingItsLine) {
  auto h = concurrent({
      {0, "ok", R"([["append","x",1]])"},
      {1, "ok", R"([["cas","x",[1,2]]])"},
  });
  try {
    check(h);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 4u);  // the completion, whose value the checker reads
    EXPECT_NE(std::string(e.what()).find("unknown micro-op 'cas'"), std::string::npos) << e.what();
  }
  // rw-register does not know appends.
  EXPECT_THROW(check(concurrent({{0, "ok", R"([["append","x",1]])"}}), ObjectKind::kRwRegister),
               InputError);
}

TEST(TxnCheck, TimeLimitGivesUnknownNotAGuess) {
  ListAppendGenOptions g;
  g.txns = 20000;
  g.stale_read_fraction = 0.01;
  TxnCheckOptions o;
  o.time_limit_s = 1e-9;
  auto r = check_transactions(generate_list_append_history(g), o);
  EXPECT_EQ(r.verdict, Verdict::kUnknown);
  EXPECT_EQ(r.reason.rfind("time:", 0), 0u) << r.reason;
}

TEST(TxnCheck, MemoryLimitGivesUnknownWithTheReason) {
  ListAppendGenOptions g;
  g.txns = 20000;
  TxnCheckOptions o;
  o.memory_limit_mib = 1;
  auto r = check_transactions(generate_list_append_history(g), o);
  EXPECT_EQ(r.verdict, Verdict::kUnknown);
  EXPECT_NE(r.reason.find("over the limit of 1 MiB"), std::string::npos) << r.reason;
}

TEST(TxnCheck, ResultDocumentCarriesCycleSteps) {
  auto r = check(concurrent({
      {0, "ok", R"([["append","x",1],["append","y",1]])"},
      {1, "ok", R"([["r","x",[]],["r","y",[1]]])"},
  }));
  auto doc = r.to_json();
  EXPECT_EQ(doc.at("schema").as_string(), "faultline.results/1");
  EXPECT_EQ(doc.at("verdict").as_string(), "invalid");
  const auto& a = doc.at("anomalies").as_array().at(0).as_object();
  EXPECT_EQ(a.at("type").as_string(), "G-single");
  const auto& steps = a.at("cycle").as_array();
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].at("edge").as_string(), "rw");
  EXPECT_EQ(steps[0].at("from").at("index").as_int64(), 1);
}

// Elle's EDN: keyword micro-ops, list values.
TEST(TxnCheck, ReadsJepsenEdn) {
  const std::string edn =
      "{:type :invoke, :f :txn, :value [[:append :x 1] [:r :y nil]], :process 0, :index 0}\n"
      "{:type :invoke, :f :txn, :value [[:append :y 1] [:r :x nil]], :process 1, :index 1}\n"
      "{:type :ok, :f :txn, :value [[:append :x 1] [:r :y []]], :process 0, :index 2}\n"
      "{:type :ok, :f :txn, :value [[:append :y 1] [:r :x []]], :process 1, :index 3}\n";
  std::istringstream in(edn);
  History h = read_history(in, "h.edn", HistoryFormat::kEdn);
  auto r = check(h);
  EXPECT_EQ(types(r), std::set<std::string>{"G2-item"});
}

class TxnCommandLine : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("faultline-txn-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  int run(const std::string& args, std::string* output = nullptr) {
    const std::string cmd = std::string(FAULTLINE_BINARY) + " " + args + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    const int status = ::pclose(p);
    if (output) *output = out;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::filesystem::path dir_;
};

TEST_F(TxnCommandLine, UnknownMicroOpExits65NamingTheLine) {
  const std::string file = write("h.jsonl", line(0, "invoke", R"([["append","x",1]])") +
                                                line(0, "ok", R"([["append","x",1]])") +
                                                line(1, "invoke", R"([["increment","x",1]])") +
                                                line(1, "ok", R"([["increment","x",1]])"));
  std::string out;
  EXPECT_EQ(run("check " + file + " --model list-append", &out), 65);
  EXPECT_NE(out.find("h.jsonl:4:"), std::string::npos) << out;  // the ok completion
  EXPECT_NE(out.find("unknown micro-op 'increment'"), std::string::npos) << out;
}

TEST_F(TxnCommandLine, GarbageReadIsAnAnomalyNotACrash) {
  const std::string file =
      write("h.jsonl",
            line(0, "invoke", R"([["append","x",1]])") + line(0, "ok", R"([["append","x",1]])") +
                line(1, "invoke", R"([["r","x",null]])") + line(1, "ok", R"([["r","x",[1,7]]])"));
  std::string out;
  EXPECT_EQ(run("check " + file + " --model list-append", &out), 1);
  EXPECT_NE(out.find("garbage-read: 1"), std::string::npos) << out;
  EXPECT_NE(out.find("no transaction ever wrote 7 to key \"x\""), std::string::npos) << out;
}

TEST_F(TxnCommandLine, HistoryOverTheMemoryLimitIsUnknownWithTheReason) {
  ListAppendGenOptions g;
  g.txns = 20000;
  std::ofstream(dir_ / "big.jsonl") << [&] {
    std::ostringstream s;
    write_jsonl(generate_list_append_history(g), s);
    return s.str();
  }();
  const std::string file = (dir_ / "big.jsonl").string();
  std::string out;
  EXPECT_EQ(run("check " + file + " --model list-append --memory-limit 1", &out), 2);
  EXPECT_NE(out.find("unknown (list-append, strict-serializable): memory: the compiled history "
                     "needs about"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("over the limit of 1 MiB"), std::string::npos) << out;
  EXPECT_EQ(run("check " + file + " --model list-append"), 0);  // the default limit suffices
}

TEST_F(TxnCommandLine, WriteSkewExitsByModelAndWritesResults) {
  const std::string file =
      write("h.jsonl", line(0, "invoke", R"([["r","x",null],["w","y",1]])") +
                           line(1, "invoke", R"([["r","y",null],["w","x",1]])") +
                           line(0, "ok", R"([["r","x",null],["w","y",1]])") +
                           line(1, "ok", R"([["r","y",null],["w","x",1]])"));
  std::string out;
  EXPECT_EQ(run("check " + file + " --model rw-register --consistency-model snapshot-isolation"),
            0);
  EXPECT_EQ(run("check " + file + " --model rw-register --out " + (dir_ / "out").string(), &out),
            1);
  EXPECT_NE(out.find("G2-item"), std::string::npos) << out;
  std::ifstream results(dir_ / "out" / "results.json");
  std::string doc((std::istreambuf_iterator<char>(results)), {});
  EXPECT_NE(doc.find("\"verdict\":\"invalid\""), std::string::npos);
  EXPECT_EQ(run("check " + file + " --model rw-register --consistency-model nonsense"), 64);
}

}  // namespace
}  // namespace faultline::txn
