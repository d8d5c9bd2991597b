// The recorder's JSONL is the canonical form, and a torn last line (a controller killed
// mid-write) is dropped by read_run_history, keeping everything before it.

#include "controller/run/recorder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "checker/history/jsonl.h"
#include "controller/run/analysis.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

TEST(Recorder, WritesTheCanonicalJsonOfEveryOperation) {
  Operation op;
  op.index = 12;
  op.type = OpType::kInfo;
  op.process = 4;
  op.f = "cas";
  op.key = boost::json::value(3);
  op.value =
      boost::json::array{1, "two\n\"quoted\"", nullptr, 2.5, boost::json::object{{"a", true}}};
  op.time = 123456789;
  op.node = "n2";
  op.error = boost::json::value("timeout");
  op.extra["final"] = true;
  op.extra["weird key\t"] = -7;
  std::string line;
  append_operation_json(line, op);
  EXPECT_EQ(boost::json::parse(line), boost::json::value(to_json(op))) << line;
  Operation nemesis;
  nemesis.process = kNemesisProcess;
  nemesis.f = "start-partition";
  line.clear();
  append_operation_json(line, nemesis);
  EXPECT_EQ(boost::json::parse(line), boost::json::value(to_json(nemesis)));
}

TEST(Recorder, NumbersAndTimesOperationsInOrderAcrossThreads) {
  std::stringstream out;
  HistoryRecorder recorder(&out, std::chrono::steady_clock::now());
  std::vector<std::thread> threads;
  for (int p = 0; p < 4; ++p) {
    threads.emplace_back([&, p] {
      for (int i = 0; i < 500; ++i) {
        Operation op;
        op.process = p;
        op.f = "write";
        op.value = i;
        recorder.invoke(op);
        Operation done = op;
        done.type = OpType::kOk;
        recorder.complete(done);
      }
    });
  }
  for (auto& t : threads) t.join();
  History h = read_history(out, "recorded.jsonl", HistoryFormat::kJsonl);
  ASSERT_EQ(h.ops.size(), 4000u);
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    EXPECT_EQ(h.ops[i].index, static_cast<std::int64_t>(i));
    if (i > 0) {
      EXPECT_GE(h.ops[i].time, h.ops[i - 1].time) << "index order must be time order";
    }
  }
  EXPECT_EQ(recorder.counts().ok, 2000u);
  EXPECT_EQ(recorder.counts().invoked, 2000u);
}

class TempFile {
 public:
  explicit TempFile(const std::string& text)
      : path_(fs::temp_directory_path() /
              ("faultline-torn-" + std::to_string(::getpid()) + ".jsonl")) {
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempFile() { fs::remove(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(RunHistory, ATornLastLineIsDroppedWithAWarning) {
  TempFile file(
      "{\"index\":0,\"type\":\"invoke\",\"process\":0,\"f\":\"read\",\"key\":1,\"value\":null}\n"
      "{\"index\":1,\"type\":\"ok\",\"process\":0,\"f\":\"read\",\"key\":1,\"value\":null}\n"
      "{\"index\":2,\"type\":\"invoke\",\"process\":0,\"f\":\"wri");
  std::vector<std::string> warnings;
  History h = read_run_history(file.path(), [&](const std::string& w) { warnings.push_back(w); });
  EXPECT_EQ(h.ops.size(), 2u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find(":3: dropped a torn last line"), std::string::npos) << warnings[0];
}

TEST(RunHistory, ACompleteLastLineWithoutNewlineIsKept) {
  TempFile file("{\"index\":0,\"type\":\"invoke\",\"process\":0,\"f\":\"read\",\"value\":null}");
  std::vector<std::string> warnings;
  History h = read_run_history(file.path(), [&](const std::string& w) { warnings.push_back(w); });
  EXPECT_EQ(h.ops.size(), 1u);
  EXPECT_TRUE(warnings.empty());
}

TEST(RunHistory, ABrokenLineInTheMiddleIsStillAnError) {
  TempFile file("{\"index\":0,\"type\":\"invoke\"\n{\"index\":1}\n");
  EXPECT_THROW(read_run_history(file.path(), {}), InputError);
}

}  // namespace
}  // namespace faultline
