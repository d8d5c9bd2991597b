// The readers' fast path (checker/history/fast_record.h) against their full parsers: on
// generated histories, on the recorded ones in ../shared/histories, on odd values, and on
// every single-byte corruption of typical lines, the two must give the same history or
// the same error message.

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "checker/history/edn_writer.h"
#include "checker/history/fast_record.h"
#include "checker/history/history.h"
#include "checker/history/jsonl.h"
#include "controller/bench/gen/register_history.h"

namespace faultline {
namespace {

// What reading gave: a history, or the error message.
struct Outcome {
  std::optional<History> history;
  std::string error;
};

Outcome read_with(bool fast, const std::function<History()>& read) {
  const bool was = fast_read_enabled();
  set_fast_read_enabled(fast);
  Outcome out;
  try {
    out.history = read();
  } catch (const InputError& e) {
    out.error = e.what();
  }
  set_fast_read_enabled(was);
  return out;
}

// Equal field by field (Operation has no operator==); `where` names the case on failure.
void expect_same(const Outcome& fast, const Outcome& full, const std::string& where) {
  ASSERT_EQ(fast.history.has_value(), full.history.has_value())
      << where << "\nfast: " << fast.error << "\nfull: " << full.error;
  if (!full.history) {
    EXPECT_EQ(fast.error, full.error) << where;
    return;
  }
  const History& a = *fast.history;
  const History& b = *full.history;
  EXPECT_EQ(a.processes_known, b.processes_known) << where;
  ASSERT_EQ(a.ops.size(), b.ops.size()) << where;
  for (std::size_t i = 0; i < a.ops.size(); ++i) {
    const Operation& x = a.ops[i];
    const Operation& y = b.ops[i];
    const std::string at = where + " op " + std::to_string(i);
    EXPECT_EQ(x.index, y.index) << at;
    EXPECT_EQ(x.type, y.type) << at;
    EXPECT_EQ(x.process_assigned, y.process_assigned) << at;
    EXPECT_EQ(x.inferred_invoke, y.inferred_invoke) << at;
    EXPECT_EQ(x.process, y.process) << at;
    EXPECT_EQ(x.f, y.f) << at;
    EXPECT_EQ(x.value, y.value) << at;
    EXPECT_EQ(x.value.kind(), y.value.kind()) << at;
    EXPECT_EQ(x.time, y.time) << at;
    EXPECT_EQ(x.key, y.key) << at;
    EXPECT_EQ(x.node, y.node) << at;
    EXPECT_EQ(x.error, y.error) << at;
    EXPECT_EQ(x.extra, y.extra) << at;
    EXPECT_EQ(x.line, y.line) << at;
    if (::testing::Test::HasFailure()) return;  // one operation's worth of messages
  }
}

void expect_same_text(const std::string& text, HistoryFormat format, const std::string& where) {
  auto read = [&] {
    std::istringstream in(text);
    return read_history(in, "mem", format);
  };
  expect_same(read_with(true, read), read_with(false, read), where);
}

void expect_same_file(const std::string& path, std::optional<HistoryFormat> format = {}) {
  auto read = [&] { return read_history(path, format); };
  expect_same(read_with(true, read), read_with(false, read), path);
}

std::string generated(bool edn, std::size_t keys) {
  RegisterHistoryOptions options;
  options.ops = 3000;
  options.keys = keys;
  options.processes = 7;
  options.info_fraction = 0.1;
  options.seed = 5;
  std::string text;
  generate_register_history(options, [&](const Operation& op) {
    if (edn)
      append_edn_line(text, op);
    else
      append_jsonl_line(text, op);
    text += '\n';
  });
  return text;
}

TEST(FastRead, GeneratedHistoriesReadTheSameBothWays) {
  for (std::size_t keys : {1, 20}) {
    expect_same_text(generated(false, keys), HistoryFormat::kJsonl,
                     "jsonl keys " + std::to_string(keys));
    expect_same_text(generated(true, keys), HistoryFormat::kEdn,
                     "edn keys " + std::to_string(keys));
  }
}

TEST(FastRead, EdnAndJsonlOfOneHistoryAreTheSameHistory) {
  auto read = [](const std::string& text, HistoryFormat format) {
    std::istringstream in(text);
    return Outcome{read_history(in, "mem", format), ""};
  };
  expect_same(read(generated(true, 20), HistoryFormat::kEdn),
              read(generated(false, 20), HistoryFormat::kJsonl), "edn vs jsonl");
}

TEST(FastRead, RecordedHistoriesReadTheSameBothWays) {
  const std::filesystem::path root = std::filesystem::path(FAULTLINE_SHARED_DIR) / "histories";
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().filename() == "README.md") continue;
    expect_same_file(entry.path().string());
    ++files;
  }
  EXPECT_GT(files, 100u);
}

// Lines the fast path takes, and lines it must leave to the full parser.
const std::vector<std::string> kJsonlLines = {
    R"({"index":0,"type":"invoke","process":3,"f":"cas","key":7,"value":[1,2],"time":5})",
    R"({"type":"ok","process":"nemesis","f":"start-partition","value":"halves","node":"n1"})",
    R"( { "type" : "fail" , "process" : 0 , "f" : "read" , "value" : null , "error" : ["timeout",1] } )",
    R"({"type":"ok","process":1,"f":"txn","value":[["r",1,[1,2]],["append",2,3]],"final":true})",
    R"({"type":"ok","process":1,"f":"read","value":12345678901234567890})",
    R"({"type":"ok","process":1,"f":"read","value":-9223372036854775808})",
    R"({"type":"ok","process":1,"f":"read","value":123456789012345678})",
    R"({"type":"ok","process":1,"f":"read","value":1234567890123456789012})",
    R"({"type":"ok","process":1,"f":"read","value":1.5})",
    R"({"type":"ok","process":1,"f":"read","value":0.1})",
    R"({"type":"ok","process":1,"f":"read","value":-0})",
    R"({"type":"ok","process":1,"f":"read","value":01})",
    R"({"type":"ok","process":1,"f":"read","value":1e3})",
    R"({"type":"ok","process":1,"f":"read","value":"a\"b\\c\u00e9\n"})",
    R"({"type":"ok","process":1,"f":"read","value":"é ünïcode"})",
    R"({"type":"ok","process":1,"f":"read","value":{"a":[1,{"b":null}],"c":true}})",
    R"({"type":"ok","process":null,"f":null,"value":null,"time":null,"index":null})",
    R"({"type":"ok","process":1,"process":2})",
    R"({"type":"ok","x":1,"x":2})",
    R"({"type":"bogus","process":1})",
    R"({"type":"ok","process":-1})",
    R"({"type":"ok","process":"p1"})",
    R"({"type":"ok","index":-3})",
    R"({"process":1,"f":"read"})",
    R"({"type":"ok","f":3})",
    R"({"type":"ok","node":7})",
    R"({"type":"ok"} trailing)",
    R"([{"type":"ok"}])",
    R"({"type":"ok","value":[1,2,]})",
    R"({"type":"ok","value":[[[[[[[[[[1]]]]]]]]]]})",
    R"({"type":"ok","value":true,"key":false})",
    R"({"type":"ok","value":nul})",
    R"({"type":"ok","va\u006cue":1})",
};

const std::vector<std::string> kEdnLines = {
    R"({:index 0, :type :invoke, :process 3, :f :cas, :key 7, :value [1 2], :time 5})",
    R"({:type :info, :process :nemesis, :f :start-partition, :value :majority})",
    R"({:type :ok :process 0 :f :read :value nil :node "n1" :error (:timeout 1)})",
    R"({:type :ok, :process 1, :f :txn, :value [[:r 1 [1 2]] [:append 2 3]], :final true})",
    R"({:type :ok, :process 1, :f :read, :value 12345678901234567890})",
    R"({:type :ok, :process 1, :f :read, :value 123456789012345678901234})",
    R"({:type :ok, :process 1, :f :read, :value 5N})",
    R"({:type :ok, :process 1, :f :read, :value 1/2})",
    R"({:type :ok, :process 1, :f :read, :value 1/3})",
    R"({:type :ok, :process 1, :f :read, :value -0})",
    R"({:type :ok, :process 1, :f :read, :value 007})",
    R"({:type :ok, :process 1, :f :read, :value "a\"b\\c\u00e9\n"})",
    R"({:type :ok, :process 1, :f :read, :value "é ünïcode"})",
    R"({:type :ok, :process 1, :f :read, :value #{1 2}})",
    R"({:type :ok, :process 1, :f :read, :value {:a [1 {:b nil}]}})",
    R"({:type :ok, :process 1, :value #jepsen.independent.Tuple{:key 1 :value 2}})",
    R"(#jepsen.history.Op{:type :ok, :process 1, :f :read, :value 3})",
    R"({:type :ok, :process 1, :f :read, :value sym})",
    R"({:type :ok, :process 1, :f :read, :value \a})",
    R"({:type :ok, :process 1, :process 2})",
    R"({:type :ok, :x 1, :x 2})",
    R"({:type :ok, "x" 1, :x 2})",
    R"({:type :bogus, :process 1})",
    R"({:type :ok, :process -1})",
    R"({:type :ok, :process nil, :f nil})",
    R"({:process 1, :f :read})",
    R"({:type :ok, :f 3})",
    R"({:type :ok, :f "read", :node :n1})",
    R"({:type :ok, :value [1 2 #_ 3]})",
    R"({:type :ok, :value [1 2] ; comment)",
    R"({:type :ok, :value})",
    R"({:type :ok, :value (1 (2 [3]))})",
    R"({:type ok})",
    R"({:type :ok :value 1}{:type :ok :value 2})",
};

TEST(FastRead, OddLinesReadTheSameBothWays) {
  const std::string first = R"({"type":"invoke","process":1,"f":"read","value":null})";
  for (const auto& line : kJsonlLines) {
    expect_same_text(first + "\n" + line + "\n", HistoryFormat::kJsonl, line);
    expect_same_text(line + "\n", HistoryFormat::kJsonl, line);
  }
  const std::string edn_first = R"({:type :invoke, :process 1, :f :read, :value nil})";
  for (const auto& line : kEdnLines) {
    expect_same_text(edn_first + "\n" + line + "\n", HistoryFormat::kEdn, line);
    expect_same_text("[" + line + "\n" + edn_first + "]\n", HistoryFormat::kEdn, "[" + line);
    expect_same_text(line + "\n", HistoryFormat::kPorcupineKv, "kv " + line);
  }
}

// Every prefix of a line, and the line with any one byte replaced by one of the bytes
// that matter to either parser: both paths agree on each.
TEST(FastRead, EveryCorruptionOfATypicalLineReadsTheSameBothWays) {
  const std::string replacements = "\"\\,:}{][ -0159a\x01\xc3";
  auto corrupt = [&](const std::string& line, HistoryFormat format) {
    const std::string first = format == HistoryFormat::kJsonl
                                  ? R"({"type":"invoke","process":1,"f":"read","value":null})"
                                  : R"({:type :invoke, :process 1, :f :read, :value nil})";
    for (std::size_t i = 0; i <= line.size(); ++i) {
      expect_same_text(first + "\n" + line.substr(0, i) + "\n", format,
                       "prefix " + line.substr(0, i));
      if (i == line.size()) break;
      for (char c : replacements) {
        std::string bad = line;
        bad[i] = c;
        expect_same_text(first + "\n" + bad + "\n" + first + "\n", format, "corrupt " + bad);
        if (::testing::Test::HasFailure()) return;
      }
    }
  };
  corrupt(kJsonlLines[0], HistoryFormat::kJsonl);
  corrupt(kJsonlLines[1], HistoryFormat::kJsonl);
  corrupt(kEdnLines[0], HistoryFormat::kEdn);
  corrupt(kEdnLines[1], HistoryFormat::kEdn);
}

// The comparisons above mean something only if the fast path takes the usual lines.
TEST(FastRead, TakesTheCommonShapesAndDeclinesTheRest) {
  for (std::size_t i = 0; i < 4; ++i) {
    Operation op;
    EXPECT_TRUE(scan_fast_json_operation(kJsonlLines[i], op)) << kJsonlLines[i];
    Operation edn;
    EXPECT_NE(scan_fast_edn_operation(kEdnLines[i], edn), 0u) << kEdnLines[i];
  }
  Operation op;
  EXPECT_FALSE(scan_fast_json_operation(R"({"type":"ok","value":1.5})", op));
  Operation escaped;
  EXPECT_FALSE(scan_fast_json_operation(R"({"type":"ok","value":"a\nb"})", escaped));
  Operation tagged;
  EXPECT_EQ(scan_fast_edn_operation("{:type :ok, :value #{1}}", tagged), 0u);
  Operation two;
  EXPECT_EQ(scan_fast_edn_operation("{:type :ok}{:type :ok}", two), 11u);
}

}  // namespace
}  // namespace faultline
