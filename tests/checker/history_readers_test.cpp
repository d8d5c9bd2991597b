// Every reader on every recorded history in ../shared/histories, the hand-written Jepsen
// history in tests/data, round trips through JSONL, and malformed input of each format.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "checker/history/history_stats.h"
#include "checker/history/independent.h"
#include "checker/history/jsonl.h"
#include "checker/history/pairing.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
const fs::path kShared = fs::path(FAULTLINE_SHARED_DIR) / "histories" / "porcupine";
const fs::path kHandWritten = fs::path(FAULTLINE_SOURCE_DIR) / "tests/data/jepsen-history.edn";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Lines of `text` containing `needle` (what `grep -c needle` prints).
std::size_t count_lines_with(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
  return n;
}

History parse(const std::string& text, std::optional<HistoryFormat> format = std::nullopt) {
  std::istringstream in(text);
  return read_history(in, "mem", format);
}

std::string to_jsonl(const History& h) {
  std::ostringstream out;
  write_jsonl(h, out);
  return out.str();
}

// The line of the InputError that reading `text` as `format` throws.
std::size_t error_line(const std::string& text, HistoryFormat format) {
  try {
    parse(text, format);
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "mem");
    return e.line();
  }
  ADD_FAILURE() << "no InputError";
  return 0;
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(PorcupineEtcd, EveryFilePairsInto73To90Operations) {
  auto files = files_in(kShared / "jepsen");
  ASSERT_EQ(files.size(), 102u);
  for (const auto& path : files) {
    SCOPED_TRACE(path.filename().string());
    History h = read_history(path.string());
    EXPECT_EQ(h.format, HistoryFormat::kPorcupineEtcd);
    EXPECT_EQ(h.ops.size(), count_lines_with(slurp(path), "jepsen.util - "));
    PairedHistory paired = pair_operations(h);
    EXPECT_GE(paired.ops.size(), 73u);
    EXPECT_LE(paired.ops.size(), 90u);
    EXPECT_TRUE(paired.nemesis.empty());
    HistoryStats s = compute_stats(h);
    EXPECT_GE(s.client_processes, 11u);
    EXPECT_LE(s.client_processes, 23u);
    EXPECT_GE(s.unknown_outcomes, 7u);
    EXPECT_LE(s.unknown_outcomes, 25u);
    for (const Operation& op : h.ops) {
      ASSERT_TRUE(op.f == "read" || op.f == "write" || op.f == "cas") << op.line;
      if (op.f == "cas") {
        ASSERT_EQ(op.value.as_array().size(), 2u) << op.line;
      }
    }
  }
}

TEST(PorcupineEtcd, TimedOutCompletionsCarryTheInvokedValueAndAnError) {
  // etcd_100 separates fields with spaces, not tabs, and has `:fail :read :timed-out`.
  History h = read_history((kShared / "jepsen/etcd_100.log").string());
  std::size_t timed_out = 0;
  for (const Operation& op : h.ops) {
    if (!op.error) continue;
    ++timed_out;
    EXPECT_EQ(op.error->as_string(), "timed-out");
    EXPECT_TRUE(op.type == OpType::kInfo || op.type == OpType::kFail);
    if (op.f == "read") {
      EXPECT_TRUE(op.value.is_null());
    } else if (op.f == "write") {
      EXPECT_TRUE(op.value.is_int64());
    } else {
      EXPECT_EQ(op.value.as_array().size(), 2u);
    }
  }
  EXPECT_EQ(timed_out, count_lines_with(slurp(kShared / "jepsen/etcd_100.log"), ":timed-out"));
  EXPECT_EQ(h.ops[0].line, 1u);
}

TEST(PorcupineKv, EveryFileParsesWithItsLineCount) {
  const std::map<std::string, std::size_t> known = {
      {"c01-ok.txt", 116}, {"c10-ok.txt", 674}, {"c50-ok.txt", 3424}};
  auto files = files_in(kShared / "kv");
  ASSERT_EQ(files.size(), 6u);
  for (const auto& path : files) {
    SCOPED_TRACE(path.filename().string());
    History h = read_history(path.string());
    EXPECT_EQ(h.format, HistoryFormat::kPorcupineKv);
    EXPECT_EQ(h.ops.size(), count_lines_with(slurp(path), "{:process"));
    if (auto it = known.find(path.filename().string()); it != known.end()) {
      EXPECT_EQ(h.ops.size(), it->second);
    }
    HistoryStats s = compute_stats(h);
    EXPECT_EQ(s.client_operations * 2, h.ops.size());  // every invocation completes
    std::set<std::string> keys;
    std::string text = slurp(path);
    std::regex key_re(":key \"([^\"]*)\"");
    for (std::sregex_iterator it(text.begin(), text.end(), key_re), end; it != end; ++it) {
      keys.insert((*it)[1]);
    }
    EXPECT_EQ(s.keys.value_or(0), keys.size());
    for (const Operation& op : h.ops) ASSERT_TRUE(op.key && op.key->is_string()) << op.line;
  }
}

TEST(PorcupineKv, EdnReaderReadsKvFilesToTheSameOperations) {
  std::string text = slurp(kShared / "kv/c10-bad.txt");
  EXPECT_EQ(to_jsonl(parse(text, HistoryFormat::kEdn)),
            to_jsonl(parse(text, HistoryFormat::kPorcupineKv)));
}

TEST(Edn, HandWrittenJepsenHistory) {
  History h = read_history(kHandWritten.string());
  EXPECT_EQ(h.format, HistoryFormat::kEdn);
  ASSERT_EQ(h.ops.size(), 14u);  // the #_ discarded map is not an operation
  const Operation& write = h.ops[0];
  EXPECT_EQ(write.f, "write");
  EXPECT_EQ(write.key->as_int64(), 1);
  EXPECT_EQ(write.value.as_int64(), 3);
  EXPECT_EQ(write.time, 1000);
  EXPECT_EQ(write.line, 4u);
  const Operation& grudge = h.ops[4];
  EXPECT_TRUE(grudge.is_nemesis());
  EXPECT_FALSE(grudge.key);
  EXPECT_EQ(grudge.value, boost::json::parse(R"({"n1":["n2","n3"],"n2":["n1"],"n3":["n1"]})"));
  EXPECT_EQ(grudge.line, 9u);
  EXPECT_EQ(*h.ops[5].node, "n2");
  EXPECT_EQ(h.ops[6].value, boost::json::parse("[3,4]"));  // cas [3 4] on key 1
  EXPECT_EQ(*h.ops[8].error, boost::json::parse(R"(["timeout","no response in 5 s"])"));
  EXPECT_EQ(h.ops[12].extra.at("extra-info").at("tags"),
            boost::json::parse(R"(["slow","retried"])"));

  HistoryStats s = compute_stats(h);
  EXPECT_EQ(s.client_operations, 6u);
  EXPECT_EQ(s.nemesis_operations, 3u);
  EXPECT_EQ(s.client_processes, 3u);
  EXPECT_EQ(s.unknown_outcomes, 2u);  // the cas that timed out, the last write
  EXPECT_EQ(s.total.unknown, 1u);
  EXPECT_EQ(s.max_concurrency, 2u);
  EXPECT_EQ(s.keys.value_or(0), 2u);
  EXPECT_EQ(s.time_span_ns.value_or(0), 11000);
}

TEST(Edn, TopLevelShapes) {
  const char* op0 = "{:type :invoke, :f :read, :process 0}";
  const char* op1 = "{:type :ok, :f :read, :process 0, :value 1}";
  for (std::string text :
       {std::string("[") + op0 + " " + op1 + "]", std::string("(") + op0 + "\n" + op1 + ")",
        std::string(op0) + "\n" + op1 + "\n",
        std::string("#jepsen.history.Op") + op0 + " #jepsen.history.Op" + op1}) {
    SCOPED_TRACE(text);
    History h = parse(text);
    ASSERT_EQ(h.ops.size(), 2u);
    EXPECT_EQ(h.ops[1].value.as_int64(), 1);
  }
  EXPECT_TRUE(parse("; nothing yet\n[]\n").ops.empty());
}

TEST(Edn, PlainPairsAreSplitOnlyWhenAsked) {
  History h = parse(
      "[{:type :invoke :f :cas :value [3 1] :process 0}\n"
      " {:type :info :f :start :process :nemesis :value [:n1]}]");
  EXPECT_FALSE(h.ops[0].key);
  split_independent_pairs(h);
  EXPECT_EQ(h.ops[0].key->as_int64(), 3);
  EXPECT_EQ(h.ops[0].value.as_int64(), 1);
  EXPECT_FALSE(h.ops[1].key);  // nemesis values are not tuples

  History bad = parse(
      "{:type :invoke :f :read :value [1 nil] :process 0}\n"
      "{:type :ok :f :read :value 3 :process 0}\n");
  try {
    split_independent_pairs(bad);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 2u);
  }
}

TEST(RoundTrip, EdnToJsonlToJsonlIsIdentical) {
  for (const fs::path& path : {kHandWritten, kShared / "jepsen/etcd_007.log",
                               kShared / "jepsen/etcd_101.log", kShared / "kv/c50-bad.txt"}) {
    SCOPED_TRACE(path.string());
    History original = read_history(path.string());
    std::string first = to_jsonl(original);
    History reread = parse(first);
    EXPECT_EQ(reread.format, HistoryFormat::kJsonl);
    ASSERT_EQ(reread.ops.size(), original.ops.size());
    std::string second = to_jsonl(reread);
    EXPECT_EQ(first, second);
    for (std::size_t i = 0; i < original.ops.size(); ++i) {
      EXPECT_EQ(to_json(reread.ops[i]), to_json(original.ops[i]));
    }
  }
}

TEST(Detect, EachFormatAndUnknown) {
  auto detect = [](const std::string& text) {
    std::istringstream in(text);
    HistoryFormat f = detect_format(in, "mem");
    EXPECT_EQ(in.tellg(), 0) << "detection must rewind";
    return f;
  };
  EXPECT_EQ(detect("\n{\"type\":\"invoke\"}\n"), HistoryFormat::kJsonl);
  EXPECT_EQ(detect("  { \"type\":\"invoke\"}\n"), HistoryFormat::kJsonl);
  EXPECT_EQ(detect("[{:type :invoke}]"), HistoryFormat::kEdn);
  EXPECT_EQ(detect("; comment\n{:type :invoke, :f :read}\n"), HistoryFormat::kEdn);
  EXPECT_EQ(detect("(\n"), HistoryFormat::kEdn);
  EXPECT_EQ(detect("; only a comment\n"), HistoryFormat::kEdn);
  EXPECT_EQ(detect("{:process 0, :type :invoke, :f :get, :key \"1\", :value nil}\n"),
            HistoryFormat::kPorcupineKv);
  EXPECT_EQ(detect("starting test\nINFO  jepsen.util - 1\t:invoke\t:read\tnil\n"),
            HistoryFormat::kPorcupineEtcd);
  EXPECT_EQ(detect("INFO  jepsen.util - :nemesis :info :start nil\n"),
            HistoryFormat::kPorcupineEtcd);
  for (const char* text : {"hello world\n", "", "\n  \n", "INFO  jepsen.util - Running\n"}) {
    std::istringstream in(text);
    try {
      detect_format(in, "mystery.txt");
      ADD_FAILURE() << "detected a format in: " << text;
    } catch (const InputError& e) {
      EXPECT_EQ(e.line(), 1u);
      EXPECT_EQ(e.file(), "mystery.txt");
    }
  }
}

// Cuts `text` after its `line`-th line plus `extra` bytes of the next one.
std::string truncate_at(const std::string& text, std::size_t line, std::size_t extra) {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < line; ++i) pos = text.find('\n', pos) + 1;
  return text.substr(0, pos + extra);
}

// Replaces line `line` (1-based) of `text`.
std::string replace_line(const std::string& text, std::size_t line, const std::string& with) {
  std::size_t start = 0;
  for (std::size_t i = 1; i < line; ++i) start = text.find('\n', start) + 1;
  std::size_t end = text.find('\n', start);
  return text.substr(0, start) + with + text.substr(end);
}

TEST(Malformed, EveryFormatNamesTheLine) {
  // porcupine-etcd: a record cut in the middle of its [3 1] value, or with a garbled type.
  std::string etcd = slurp(kShared / "jepsen/etcd_002.log");
  std::size_t cas_line = 4;  // "INFO  jepsen.util - 2\t:invoke\t:cas\t[2 4]"
  ASSERT_NE(replace_line(etcd, cas_line, "x").size(), etcd.size());
  EXPECT_EQ(error_line(truncate_at(etcd, cas_line - 1, 37), HistoryFormat::kPorcupineEtcd),
            cas_line);
  EXPECT_EQ(error_line(replace_line(etcd, 40, "INFO  jepsen.util - 3\t:invok\t:read\tnil"),
                       HistoryFormat::kPorcupineEtcd),
            40u);
  EXPECT_EQ(error_line(replace_line(etcd, 41, "INFO  jepsen.util - 3\t:ok\t:read\t[1 2}"),
                       HistoryFormat::kPorcupineEtcd),
            41u);

  // porcupine-kv: a line cut short, a garbled map.
  std::string kv = slurp(kShared / "kv/c10-ok.txt");
  EXPECT_EQ(error_line(truncate_at(kv, 99, 30), HistoryFormat::kPorcupineKv), 100u);
  EXPECT_EQ(error_line(replace_line(kv, 7, "{:process 3, :type :ok, :f :get :key}"),
                       HistoryFormat::kPorcupineKv),
            7u);
  EXPECT_EQ(error_line(replace_line(kv, 8, "{:process 3, :type :ok, :f :get}"),
                       HistoryFormat::kPorcupineKv),
            8u);  // no :key
  History with_nemesis = parse(replace_line(kv, 8, "{:process :nemesis, :type :info, :f :kill}"),
                               HistoryFormat::kPorcupineKv);
  EXPECT_TRUE(with_nemesis.ops[7].is_nemesis());  // nemesis operations need no key

  // edn: the hand-written history cut inside an operation, or with a bad value.
  std::string edn = slurp(kHandWritten);
  EXPECT_EQ(error_line(truncate_at(edn, 12, 40), HistoryFormat::kEdn), 13u);
  EXPECT_EQ(error_line(truncate_at(edn, 20, 0), HistoryFormat::kEdn), 20u);  // vector not closed
  EXPECT_EQ(
      error_line(replace_line(edn, 6, " {:type :ok, :f :write, :value 3 4}"), HistoryFormat::kEdn),
      6u);
  EXPECT_EQ(error_line(replace_line(edn, 6, " {:type :done, :f :write, :process 0}"),
                       HistoryFormat::kEdn),
            6u);
  EXPECT_EQ(error_line(edn + "[]\n", HistoryFormat::kEdn), 27u);  // a second history

  // jsonl: a converted history cut in the middle of a line.
  std::string jsonl = to_jsonl(read_history((kShared / "jepsen/etcd_002.log").string()));
  EXPECT_EQ(error_line(truncate_at(jsonl, 10, 25), HistoryFormat::kJsonl), 11u);
  EXPECT_EQ(error_line(replace_line(jsonl, 3, "{\"type\":\"ok\",\"process\":0,\"f\":}"),
                       HistoryFormat::kJsonl),
            3u);
}

}  // namespace
}  // namespace faultline
