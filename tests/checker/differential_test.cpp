// The engine (check_linearizable) against the brute-force reference checker on many
// small random histories of every model, with and without partitioning, on one and two
// threads. A mismatch prints the history as JSONL, ready for
// `faultline check FILE --model M`. FAULTLINE_DIFF_SEED changes the seed and
// FAULTLINE_DIFF_SCALE multiplies the number of histories and FAULTLINE_DIFF_OPS sets
// the most operations per history (default 10), for longer hunts.

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "checker/history/jsonl.h"
#include "checker/lin/check.h"
#include "controller/bench/gen/register_history.h"
#include "tests/checker/reference/random_history.h"
#include "tests/checker/reference/reference_checker.h"

namespace faultline {
namespace {
using reference::RandomHistoryOptions;
using reference::reference_check;
using reference::ReferenceOptions;

History jsonl(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  std::istringstream in(text);
  return read_history(in, "test.jsonl", HistoryFormat::kJsonl);
}

bool ref(const std::vector<std::string>& lines, const std::string& model,
         std::optional<boost::json::value> initial = std::nullopt) {
  ReferenceOptions options;
  options.initial = std::move(initial);
  bool memo = reference_check(jsonl(lines), model, options).linearizable;
  options.memoize = false;
  EXPECT_EQ(memo, reference_check(jsonl(lines), model, options).linearizable);
  return memo;
}

// Builds one JSONL line: type, process, f, value[, key].
std::string op(const char* type, int process, const char* f, const char* value = "null",
               const char* key = nullptr) {
  std::string line = std::string(R"({"type":")") + type + R"(","process":)" +
                     std::to_string(process) + R"(,"f":")" + f + R"(","value":)" + value;
  if (key != nullptr) line += std::string(R"(,"key":)") + key;
  return line + "}";
}

// ---- the reference itself, on histories whose verdicts are known by hand -----------

TEST(ReferenceChecker, RegisterReadsAndRealTime) {
  auto w1 = op("invoke", 0, "write", "1"), w1ok = op("ok", 0, "write", "1");
  EXPECT_TRUE(ref({w1, w1ok, op("invoke", 1, "read"), op("ok", 1, "read", "1")}, "register"));
  EXPECT_FALSE(ref({w1, w1ok, op("invoke", 1, "read"), op("ok", 1, "read", "2")}, "register"));
  // A read concurrent with the write may see the old value.
  EXPECT_TRUE(ref({w1, op("invoke", 1, "read"), op("ok", 1, "read"), w1ok}, "register"));
  // A stale read after two sequential writes.
  EXPECT_FALSE(ref({w1, w1ok, op("invoke", 0, "write", "2"), op("ok", 0, "write", "2"),
                    op("invoke", 1, "read"), op("ok", 1, "read", "1")},
                   "register"));
}

TEST(ReferenceChecker, UnknownAndFailedOutcomes) {
  auto read = [](int p, const char* v) {
    return std::vector<std::string>{op("invoke", p, "read"), op("ok", p, "read", v)};
  };
  std::vector<std::string> info_write = {op("invoke", 0, "write", "1"),
                                         op("info", 0, "write", "1")};
  std::vector<std::string> h = info_write;
  for (const auto& l : read(1, "1")) h.push_back(l);
  EXPECT_TRUE(ref(h, "register"));  // the info write took effect
  // ... possibly late: nil, then 1, is fine; 1 then nil is not.
  h = info_write;
  for (const char* v : {"null", "1"}) {
    for (const auto& l : read(1, v)) h.push_back(l);
  }
  EXPECT_TRUE(ref(h, "register"));
  for (const auto& l : read(1, "null")) h.push_back(l);
  EXPECT_FALSE(ref(h, "register"));
  // A failed write never happened.
  h = {op("invoke", 0, "write", "1"), op("fail", 0, "write", "1")};
  for (const auto& l : read(1, "1")) h.push_back(l);
  EXPECT_FALSE(ref(h, "register"));
  // A read of unknown result constrains nothing; a never-completed write may happen.
  EXPECT_TRUE(ref({op("invoke", 0, "read"), op("info", 0, "read", "7")}, "register"));
  EXPECT_TRUE(
      ref({op("invoke", 0, "write", "3"), op("invoke", 1, "read"), op("ok", 1, "read", "3")},
          "register"));
}

TEST(ReferenceChecker, CasRegisterAndInitialValue) {
  std::vector<std::string> h = {op("invoke", 0, "write", "1"),   op("ok", 0, "write", "1"),
                                op("invoke", 0, "cas", "[1,2]"), op("ok", 0, "cas", "[1,2]"),
                                op("invoke", 1, "read"),         op("ok", 1, "read", "2")};
  EXPECT_TRUE(ref(h, "cas-register"));
  h[3] = op("fail", 0, "cas", "[1,2]");
  EXPECT_FALSE(ref(h, "cas-register"));
  EXPECT_FALSE(ref({op("invoke", 0, "cas", "[3,4]"), op("ok", 0, "cas", "[3,4]")}, "cas-register"));
  std::vector<std::string> zero = {op("invoke", 0, "read"), op("ok", 0, "read", "0")};
  EXPECT_FALSE(ref(zero, "register"));
  EXPECT_TRUE(ref(zero, "register", boost::json::value(0)));
}

TEST(ReferenceChecker, Mutex) {
  auto acq = [](int p) {
    return std::vector<std::string>{op("invoke", p, "acquire"), op("ok", p, "acquire")};
  };
  std::vector<std::string> twice = acq(0);
  for (const auto& l : acq(1)) twice.push_back(l);
  EXPECT_FALSE(ref(twice, "mutex"));
  std::vector<std::string> h = acq(0);
  h.push_back(op("invoke", 0, "release"));
  h.push_back(op("ok", 0, "release"));
  for (const auto& l : acq(1)) h.push_back(l);
  EXPECT_TRUE(ref(h, "mutex"));
}

TEST(ReferenceChecker, SetReadsTheWholeSet) {
  std::vector<std::string> h = {op("invoke", 0, "add", "1"), op("ok", 0, "add", "1"),
                                op("invoke", 1, "add", "2"), op("info", 1, "add", "2"),
                                op("invoke", 2, "read")};
  for (const char* seen : {"[1]", "[2,1]"}) {
    auto g = h;
    g.push_back(op("ok", 2, "read", seen));
    EXPECT_TRUE(ref(g, "set")) << seen;
  }
  for (const char* seen : {"[2]", "[]", "[1,3]"}) {
    auto g = h;
    g.push_back(op("ok", 2, "read", seen));
    EXPECT_FALSE(ref(g, "set")) << seen;
  }
}

TEST(ReferenceChecker, Queues) {
  std::vector<std::string> h = {op("invoke", 0, "enqueue", "1"), op("ok", 0, "enqueue", "1"),
                                op("invoke", 0, "enqueue", "2"), op("ok", 0, "enqueue", "2"),
                                op("invoke", 1, "dequeue")};
  auto with = [&](const char* v) {
    auto g = h;
    g.push_back(op("ok", 1, "dequeue", v));
    return g;
  };
  EXPECT_TRUE(ref(with("1"), "fifo-queue"));
  EXPECT_FALSE(ref(with("2"), "fifo-queue"));
  EXPECT_TRUE(ref(with("2"), "unordered-queue"));
  EXPECT_FALSE(ref(with("3"), "unordered-queue"));
  EXPECT_FALSE(ref(with("null"), "unordered-queue"));
  // An unknown-outcome dequeue may have emptied the queue.
  std::vector<std::string> g = {op("invoke", 0, "enqueue", "1"), op("ok", 0, "enqueue", "1"),
                                op("invoke", 1, "dequeue"),      op("info", 1, "dequeue"),
                                op("invoke", 2, "dequeue"),      op("ok", 2, "dequeue")};
  EXPECT_TRUE(ref(g, "fifo-queue"));
  EXPECT_TRUE(ref(g, "unordered-queue"));
  g[3] = op("fail", 1, "dequeue");
  EXPECT_FALSE(ref(g, "fifo-queue"));
}

TEST(ReferenceChecker, KvKeysAreIndependent) {
  std::vector<std::string> h = {
      op("invoke", 0, "put", R"("a")", R"("k")"), op("ok", 0, "put", R"("a")", R"("k")"),
      op("invoke", 0, "append", R"("x")", R"("k")"), op("ok", 0, "append", R"("x")", R"("k")"),
      op("invoke", 1, "get", "null", R"("k")")};
  auto with = [&](const char* v, const char* key = R"("k")") {
    auto g = h;
    g[4] = op("invoke", 1, "get", "null", key);
    g.push_back(op("ok", 1, "get", v, key));
    return g;
  };
  EXPECT_TRUE(ref(with(R"("ax")"), "kv"));
  EXPECT_FALSE(ref(with(R"("a")"), "kv"));
  EXPECT_TRUE(ref(with(R"("")", R"("other")"), "kv"));
  EXPECT_FALSE(ref(with(R"("ax")", R"("other")"), "kv"));
}

TEST(ReferenceChecker, MultiRegisterTransactions) {
  std::vector<std::string> h = {op("invoke", 0, "txn", R"([["write",0,1],["write",1,1]])"),
                                op("ok", 0, "txn", R"([["write",0,1],["write",1,1]])"),
                                op("invoke", 1, "txn", R"([["read",0,null],["read",1,null]])"),
                                op("ok", 1, "txn", R"([["read",0,1],["read",1,1]])")};
  EXPECT_TRUE(ref(h, "multi-register"));
  h[3] = op("ok", 1, "txn", R"([["read",0,1],["read",1,null]])");
  EXPECT_FALSE(ref(h, "multi-register"));  // half of a transaction
}

// ---- differential ---------------------------------------------------------------

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  return text != nullptr ? std::strtoull(text, nullptr, 10) : fallback;
}

struct Scenario {
  std::string name;
  RandomHistoryOptions gen;  // ops and processes are maxima: each history draws its own
  std::size_t count;
  std::string engine = "";  // when set: every partition with a known op uses it
};

void PrintTo(const Scenario& scenario, std::ostream* out) {
  *out << scenario.name;
}

std::string dump(const History& h) {
  std::ostringstream out;
  write_jsonl(h, out);
  return out.str();
}

RandomHistoryOptions gen(const std::string& model, std::size_t keys = 1, std::size_t ops = 10) {
  RandomHistoryOptions o;
  o.model = model;
  o.keys = keys;
  o.ops = ops;
  o.processes = 4;
  return o;
}

// 15,300 histories in all (keyed ones are checked twice: split and whole).
std::vector<Scenario> scenarios() {
  RandomHistoryOptions from_zero = gen("cas-register");
  from_zero.initial = boost::json::value(0);
  from_zero.values = 2;
  auto distinct = [](const std::string& model) {
    RandomHistoryOptions o = gen(model);
    o.distinct = true;  // the engine's polynomial paths apply
    return o;
  };
  // The polynomial register engine ("zones"): more histories, longer ones, more crashes.
  RandomHistoryOptions distinct_long = distinct("register");
  distinct_long.ops = 14;
  RandomHistoryOptions distinct_crashy = distinct("register");
  distinct_crashy.crash = 0.4;
  RandomHistoryOptions distinct_keyed = distinct("register");
  distinct_keyed.keys = 3;
  RandomHistoryOptions distinct_zero = distinct("register");
  distinct_zero.initial = boost::json::value(0);
  RandomHistoryOptions kv_one = gen("kv", 1);
  RandomHistoryOptions mutex = gen("mutex");  // mutex corruptions rarely stick: more of them
  mutex.corrupt = 0.95;
  mutex.crash = 0.08;
  return {{"Register", gen("register"), 1200},
          {"RegisterKeyed", gen("register", 3), 800},
          {"RegisterDistinct", distinct("register"), 1500, "zones"},
          {"RegisterDistinctLong", distinct_long, 600, "zones"},
          {"RegisterDistinctCrashy", distinct_crashy, 800, "zones"},
          {"RegisterDistinctKeyed", distinct_keyed, 400, "zones"},
          {"RegisterDistinctInitialZero", distinct_zero, 300, "zones"},
          {"CasRegister", gen("cas-register"), 1400},
          {"CasRegisterDistinct", distinct("cas-register"), 400},
          {"CasRegisterInitialZero", from_zero, 300},
          {"Mutex", mutex, 800},
          {"Set", gen("set"), 900},
          {"SetKeyed", gen("set", 2), 300},
          {"SetDistinct", distinct("set"), 300},
          {"FifoQueue", gen("fifo-queue"), 1000},
          {"FifoQueueDistinct", distinct("fifo-queue"), 300},
          {"UnorderedQueue", gen("unordered-queue"), 1000},
          {"UnorderedQueueDistinct", distinct("unordered-queue"), 300},
          {"UnorderedQueueKeyed", gen("unordered-queue", 2), 200},
          {"KvOneKey", kv_one, 400},
          {"Kv", gen("kv", 3), 1000},
          {"MultiRegister", gen("multi-register"), 900},
          {"MultiRegisterKeyed", gen("multi-register", 2), 200}};
}

class Differential : public ::testing::TestWithParam<Scenario> {};

TEST_P(Differential, EngineAgreesWithReference) {
  const Scenario& scenario = GetParam();
  std::uint64_t seed =
      env_or("FAULTLINE_DIFF_SEED", 20240601) ^ std::hash<std::string>{}(scenario.name);
  std::mt19937_64 rng(seed);
  const std::size_t count = scenario.count * env_or("FAULTLINE_DIFF_SCALE", 1);
  std::size_t mismatches = 0, invalid = 0;
  for (std::size_t n = 0; n < count; ++n) {
    RandomHistoryOptions o = scenario.gen;
    o.ops = 3 + rng() % (env_or("FAULTLINE_DIFF_OPS", scenario.gen.ops) - 2);
    o.processes = 2 + rng() % (scenario.gen.processes - 1);
    History history = reference::random_history(o, rng);
    ReferenceOptions ref_options;
    ref_options.initial = o.initial;
    bool expected = reference_check(history, o.model, ref_options).linearizable;
    if (!expected) ++invalid;

    CheckOptions options;
    options.model = o.model;
    options.initial = o.initial;
    options.threads = 1 + static_cast<int>(rng() % 2);
    options.all_keys = rng() % 2 == 0;
    options.time_limit_s = 20;
    options.memory_limit_mib = 256;
    // Keyed histories: both split by key and as one whole map.
    std::vector<bool> partitions = {true};
    if (o.keys > 1 || o.model == "kv") partitions.push_back(false);
    for (bool partition : partitions) {
      options.partition = partition;
      // Whole maps: searched as one, or (budget of one state) decided key by key.
      options.whole_map_states = rng() % 2 == 0 ? 1 : 0;
      CheckResult result = check_linearizable(history, options);
      if (!scenario.engine.empty() && partition) {
        for (const PartitionResult& p : result.partitions) {
          if (p.engine != "trivial" && p.engine != "none") {
            ASSERT_EQ(p.engine, scenario.engine) << dump(history);
          }
        }
      }
      Verdict want = expected ? Verdict::kValid : Verdict::kInvalid;
      if (result.verdict == want) continue;
      if (++mismatches <= 3) {
        ADD_FAILURE() << "--model " << o.model << " --threads " << options.threads
                      << (partition ? "" : " --no-partition")
                      << (options.whole_map_states ? " (by key)" : "")
                      << (options.all_keys ? " --all-keys" : "")
                      << (o.initial ? " --initial " + boost::json::serialize(*o.initial) : "")
                      << ": reference says " << (expected ? "valid" : "invalid")
                      << ", check_linearizable says " << to_string(result.verdict) << "\n"
                      << result.summary() << "\n--- history (JSONL) ---\n"
                      << dump(history) << "---";
      }
    }
  }
  EXPECT_EQ(mismatches, 0u) << "of " << count << " histories";
  // Guard against a generator that only makes trivial histories.
  EXPECT_GT(invalid, count / 20) << "too few invalid histories";
  EXPECT_LT(invalid, count - count / 20) << "too few valid histories";
}

INSTANTIATE_TEST_SUITE_P(AllModels, Differential, ::testing::ValuesIn(scenarios()),
                         [](const auto& info) { return info.param.name; });

// The memo of the reference only skips dead ends: with and without it, same answers.
TEST(ReferenceChecker, MemoChangesNoVerdict) {
  std::mt19937_64 rng(7);
  for (const std::string model : {"cas-register", "unordered-queue", "kv", "set"}) {
    for (int n = 0; n < 150; ++n) {
      RandomHistoryOptions o = gen(model, model == "kv" ? 2 : 1, 8);
      History history = reference::random_history(o, rng);
      ReferenceOptions with, without;
      without.memoize = false;
      ASSERT_EQ(reference_check(history, model, with).linearizable,
                reference_check(history, model, without).linearizable)
          << dump(history);
    }
  }
}

// The benchmark generator (checker/gen) promises valid histories: the reference agrees
// on small ones, and the engine on a larger keyed one.
TEST(RegisterHistoryGenerator, HistoriesAreLinearizable) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    RegisterHistoryOptions o;
    o.ops = 9;
    o.keys = 1 + seed % 2;
    o.processes = 2 + seed % 3;
    o.info_fraction = 0.25;
    o.distinct_values = seed % 3 == 0;
    o.seed = seed;
    History history = generate_register_history(o);
    ASSERT_EQ(history.ops.size(), 2 * o.ops);
    ASSERT_TRUE(reference_check(history, "register").linearizable) << dump(history);
  }
  RegisterHistoryOptions big;
  big.ops = 20000;
  big.keys = 50;
  big.processes = 20;
  CheckOptions options;
  options.model = "register";
  EXPECT_EQ(check_linearizable(generate_register_history(big), options).verdict, Verdict::kValid);
}

TEST(RegisterHistoryGenerator, SameSeedSameHistoryAndOverlap) {
  RegisterHistoryOptions o;
  o.ops = 200;
  o.processes = 10;
  o.distinct_values = true;
  EXPECT_EQ(dump(generate_register_history(o)), dump(generate_register_history(o)));
  History h = generate_register_history(o);
  std::size_t in_flight = 0, max_in_flight = 0;
  std::set<std::int64_t> written;
  for (const Operation& op : h.ops) {
    in_flight += op.is_invoke() ? 1 : -1;
    max_in_flight = std::max(max_in_flight, in_flight);
    if (op.is_invoke() && op.f == "write") {
      EXPECT_TRUE(written.insert(op.value.as_int64()).second) << "value written twice";
    }
  }
  EXPECT_GE(max_in_flight, 5u) << "operations hardly overlap";
  o.seed = 2;
  EXPECT_NE(dump(generate_register_history(o)), dump(h));
}

}  // namespace
}  // namespace faultline
