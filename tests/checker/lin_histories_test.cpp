// Verdicts on the recorded histories of ../shared/histories (known answers), and the
// explanation of a known-bad one.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>

#include "checker/lin/check.h"

namespace faultline {
namespace {

const std::string kPorcupine = std::string(FAULTLINE_SHARED_DIR) + "/histories/porcupine";

std::string etcd_file(int n) {
  char name[32];
  std::snprintf(name, sizeof name, "/jepsen/etcd_%03d.log", n);
  return kPorcupine + name;
}

CheckResult check_file(const std::string& path, const std::string& model, bool all_keys = false) {
  CheckOptions options;
  options.model = model;
  options.all_keys = all_keys;
  options.time_limit_s = 60;  // a regression shows as unknown, not as a hung test
  return check_linearizable(read_history(path), options);
}

TEST(LinEtcd, EveryVerdictIsRight) {
  const std::set<int> valid = {2,  5,  7,  18, 25, 31, 38, 45, 48,  49,  51, 53,
                               56, 67, 75, 76, 80, 87, 92, 98, 100, 101, 102};
  int checked = 0;
  for (int n = 0; n <= 102; ++n) {
    if (n == 95) continue;  // the cluster never started: no file
    CheckOptions options;
    options.model = "cas-register";
    options.explain = false;
    const CheckResult r = check_linearizable(read_history(etcd_file(n)), options);
    EXPECT_EQ(r.verdict, valid.count(n) ? Verdict::kValid : Verdict::kInvalid) << etcd_file(n);
    ++checked;
  }
  EXPECT_EQ(checked, 102);
}

// etcd_000.log, lines 85-86: process 11 reads 2 while process 2 writes 0; by then the
// register can no longer hold 2.
TEST(LinEtcd, ExplainsEtcd000WithTheOffendingRead) {
  const std::string path = etcd_file(0);
  const CheckResult r = check_file(path, "cas-register");
  ASSERT_EQ(r.verdict, Verdict::kInvalid);
  ASSERT_EQ(r.partitions.size(), 1u);
  ASSERT_TRUE(r.partitions[0].explanation);
  const Explanation& ex = *r.partitions[0].explanation;
  EXPECT_EQ(ex.culprit.text, "read 2");
  EXPECT_EQ(ex.culprit.process, 11);
  EXPECT_EQ(ex.culprit.line, 85u);
  // The named line of the file really is that read, and its completion read 2.
  std::ifstream in(path);
  std::string line, invoke, complete;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (n == ex.culprit.line) invoke = line;
    if (n == ex.culprit.line + 1) complete = line;
  }
  EXPECT_NE(invoke.find("11\t:invoke\t:read"), std::string::npos) << invoke;
  EXPECT_NE(complete.find("11\t:ok\t:read\t2"), std::string::npos) << complete;
  // Every state it met rejects it, and says so.
  ASSERT_FALSE(ex.states.empty());
  for (const auto& s : ex.states) {
    EXPECT_NE(s.state, "2");
    EXPECT_EQ(s.why, "read 2, but the register holds " + s.state);
  }
  // The core contains the culprit, and is non-linearizable: check it on its own, with
  // every other operation up to the culprit made unknown.
  ASSERT_FALSE(ex.core.empty());
  EXPECT_TRUE(std::any_of(ex.core.begin(), ex.core.end(),
                          [&](const ReportedOp& op) { return op.index == ex.culprit.index; }));
  EXPECT_FALSE(ex.longest_prefix.empty());
  EXPECT_NE(r.summary().find("read 2 (process 11, line 85) cannot be linearized"),
            std::string::npos)
      << r.summary();
  const auto doc = r.to_json();
  EXPECT_EQ(doc.at("schema"), "faultline.results/1");
  EXPECT_EQ(doc.at("partitions").as_array()[0].at("explanation").at("culprit").at("line"), 85);
}

TEST(LinKv, RecordedKvVerdicts) {
  for (const char* n : {"c01", "c10", "c50"}) {
    EXPECT_EQ(check_file(kPorcupine + "/kv/" + n + "-ok.txt", "kv").verdict, Verdict::kValid) << n;
  }
  for (const char* n : {"c01", "c10", "c50"}) {
    EXPECT_EQ(check_file(kPorcupine + "/kv/" + n + "-bad.txt", "kv").verdict, Verdict::kInvalid)
        << n;
  }
}

TEST(LinKv, C10AsOneWholeMap) {
  CheckOptions options;
  options.model = "kv";
  options.partition = false;
  options.time_limit_s = 60;
  EXPECT_EQ(check_linearizable(read_history(kPorcupine + "/kv/c10-ok.txt"), options).verdict,
            Verdict::kValid);
  EXPECT_EQ(check_linearizable(read_history(kPorcupine + "/kv/c10-bad.txt"), options).verdict,
            Verdict::kInvalid);
  // Searched as one map, not key by key.
  EXPECT_EQ(
      check_linearizable(read_history(kPorcupine + "/kv/c10-ok.txt"), options).partitions[0].engine,
      "wgl");
}

// c50 is too big to search as one map: past the state budget it is decided key by key
// (locality), and the explanation says which key.
TEST(LinKv, C50AsOneWholeMapByKey) {
  CheckOptions options;
  options.model = "kv";
  options.partition = false;
  options.time_limit_s = 60;
  const CheckResult ok = check_linearizable(read_history(kPorcupine + "/kv/c50-ok.txt"), options);
  EXPECT_EQ(ok.verdict, Verdict::kValid);
  ASSERT_EQ(ok.partitions.size(), 1u);
  EXPECT_EQ(ok.partitions[0].engine, "by-key");
  const CheckResult bad = check_linearizable(read_history(kPorcupine + "/kv/c50-bad.txt"), options);
  EXPECT_EQ(bad.verdict, Verdict::kInvalid);
  ASSERT_EQ(bad.partitions.size(), 1u);
  EXPECT_FALSE(bad.partitions[0].key.has_value());  // the whole map
  ASSERT_TRUE(bad.partitions[0].explanation);
  const Explanation& ex = *bad.partitions[0].explanation;
  EXPECT_EQ(ex.text.rfind("on key \"", 0), 0u) << ex.text;
  EXPECT_EQ(ex.culprit.text.rfind("key \"", 0), 0u) << ex.culprit.text;
}

}  // namespace
}  // namespace faultline
