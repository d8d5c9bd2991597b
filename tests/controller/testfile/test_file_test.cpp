// Stores faultline has no adapter for, tested from test files only (docs/test-files.md) with
// clients speaking docs/client-protocol.md, on a local cluster of the test's own: ZooKeeper
// from examples/zookeeper (faults, checker, report, compare across its settings); Redis from
// examples/redis with its bash client (a second language), both ways (built in and as a file),
// and as a test-all matrix; clients that crash, hang or print garbage; a hostile setting value
// reaching nodes and clients as data. Needs root, ZooKeeper, Redis, /usr/bin/python3 with
// python3-kazoo and python3-redis, and jq.

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/local_cluster.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::Outcome;

const std::string kFaultline = FAULTLINE_BINARY;
const fs::path kExamples = fs::path(FAULTLINE_SOURCE_DIR) / "examples";

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

boost::json::object results_of(const fs::path& run) {
  return boost::json::parse(slurp(run / "results.json")).as_object();
}

std::vector<boost::json::object> history_of(const fs::path& run) {
  std::vector<boost::json::object> ops;
  std::ifstream in(run / "history.jsonl");
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) ops.push_back(boost::json::parse(line).as_object());
  }
  return ops;
}

std::string error_text(const boost::json::object& op) {
  const auto* e = op.if_contains("error");
  if (!e) return {};
  return e->is_string() ? std::string(e->as_string()) : boost::json::serialize(*e);
}

// Processes whose command line contains `marker`.
std::vector<int> processes_with(const std::string& marker) {
  std::vector<int> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = slurp(e.path() / "cmdline");
    if (cmdline.find(marker) != std::string::npos) out.push_back(std::stoi(name));
  }
  return out;
}

// A 3-node cluster, a temporary store and a folder for composed test files and what the
// stores' commands write; everything removed whatever happens, including the example
// stores' per-address folders.
class TestFileRun : public testing::LocalClusterTest {
 protected:
  void SetUp() override {
    start_cluster("fl-tfile", 3);
    // Under /var/lib: the nodes of a local cluster share the filesystem, but not /tmp.
    dir_ = fs::path("/var/lib/faultline/testfile") / cluster_;
    fs::create_directories(dir_);
    auto nodes =
        boost::json::parse(slurp("/var/lib/faultline/clusters/" + cluster_ + "/nodes.json"));
    for (const auto& n : nodes.at("nodes").as_array())
      addresses_.push_back(std::string(n.at("host").as_string()));
  }
  void TearDown() override {
    LocalClusterTest::TearDown();  // stops every process of the nodes first
    std::error_code ec;
    for (const char* store : {"redis-file", "zookeeper"}) {
      for (const auto& a : addresses_)
        fs::remove_all(fs::path("/var/lib/faultline") / store / a, ec);
    }
    fs::remove_all(dir_, ec);
    fs::remove(dir_.parent_path(), ec);  // only when no other test's folder is left in it
    for (int pid : processes_with(dir_.string())) ::kill(pid, SIGKILL);
  }

  Outcome faultline(std::vector<std::string> args, std::chrono::seconds timeout = 150s) {
    std::vector<std::string> argv{kFaultline};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--cluster", cluster_, "--store", store_.string()});
    return testing::run(argv, timeout);
  }

  // examples/redis/redis.toml as a table, to compose variants of it.
  static toml::table redis_file() {
    return toml::parse_file((kExamples / "redis" / "redis.toml").string());
  }

  fs::path write(const toml::table& file, const std::string& name) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::trunc) << file << "\n";
    return p;
  }

  fs::path dir_;
  std::vector<std::string> addresses_;
};

TEST_F(TestFileRun, ZooKeeperFromItsTestFileUnderPartitionsKillsAndPausesIsCheckedAndReported) {
  Outcome r =
      faultline({"test", "--test-file", (kExamples / "zookeeper" / "zookeeper.toml").string(),
                 "--nemesis", "partition,kill,pause", "--nemesis-interval", "1", "--time-limit",
                 "14", "--db-setting", "read=sync", "--seed", "6"});
  // (seed 6: the first five faults include each kind)
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;  // sync() before each read: linearizable
  EXPECT_NE(r.out.find("verdict: valid"), std::string::npos) << r.out;
  const fs::path run = fs::canonical(store_ / "latest");
  EXPECT_EQ(results_of(run).at("verdict"), "valid");
  EXPECT_TRUE(fs::exists(run / "report.html"));
  EXPECT_GT(fs::file_size(run / "nodes" / "n1" / "zookeeper.log"), 0u) << "logs downloaded";

  std::set<std::string> faults;
  std::size_t ok = 0;
  for (const auto& op : history_of(run)) {
    if (op.at("process") == "nemesis" && op.at("type") == "info")
      faults.insert(std::string(op.at("f").as_string()));
    if (op.at("type") == "ok" && op.at("process").is_int64()) ++ok;
  }
  EXPECT_GT(ok, 200u);
  for (const char* f : {"start-partition", "start-kill", "start-pause"})
    EXPECT_TRUE(faults.count(f)) << f << " never happened";
  const std::string log = slurp(run / "faultline.log");
  EXPECT_NE(log.find("read=sync"), std::string::npos) << "the setting in force is logged";
}

TEST_F(TestFileRun, ZooKeeperComparedAcrossItsSettingsShowsSyncReadsValid) {
  Outcome r =
      faultline({"compare", "--test-file", (kExamples / "zookeeper" / "zookeeper.toml").string(),
                 "--modes", "read=plain,read=sync", "--nemesis", "partition", "--nemesis-interval",
                 "3", "--time-limit", "10", "--seed", "11"},
                240s);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(\n\s+read=plain\s+read=sync)"))) << r.out;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(\nverdict\s+(\S+)\s+(\S+))"))) << r.out;
  EXPECT_EQ(m[2], "valid") << r.out;
  // Plain reads' staleness is measured (how much depends on whom the partitions cut off).
  EXPECT_TRUE(std::regex_search(r.out, m, std::regex(R"(\nstale reads\s+\d+ of \d+\s+0 of \d+)")))
      << r.out;
}

TEST_F(TestFileRun, ABashClientSpeaksTheProtocolToo) {
  toml::table file = redis_file();
  file.insert_or_assign("name", "redis-bash");
  toml::table& client = *file["client"].as_table();
  client.insert_or_assign("command",
                          toml::array{"bash", (kExamples / "redis" / "redis_client.sh").string()});
  client.insert_or_assign("workloads", toml::array{"register"});
  file.erase("matrix");
  Outcome r = faultline({"test", "--test-file", write(file, "redis-bash.toml").string(),
                         "--nemesis", "partition", "--nemesis-interval", "3", "--time-limit", "10",
                         "--concurrency", "4"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;  // one primary, reads from it: linearizable
  const fs::path run = fs::canonical(store_ / "latest");
  std::size_t reads = 0, writes = 0, cas_ok = 0, cas_fail = 0;
  for (const auto& op : history_of(run)) {
    if (!op.at("process").is_int64() || op.at("type") == "invoke") continue;
    const std::string f(op.at("f").as_string());
    reads += f == "read" && op.at("type") == "ok";
    writes += f == "write" && op.at("type") == "ok";
    cas_ok += f == "cas" && op.at("type") == "ok";
    cas_fail += f == "cas" && op.at("type") == "fail";
  }
  EXPECT_GT(reads, 10u);  // each request forks jq, timeout and redis-cli: a few per second
  EXPECT_GT(writes, 5u);
  EXPECT_GT(cas_ok + cas_fail, 2u);
  EXPECT_EQ(results_of(run).at("verdict"), "valid");
}

TEST_F(TestFileRun, ClientsThatCrashHangOrPrintGarbageAreInfoAndReplaced) {
  // Every 15th request: processes 1, 5, 9, ... exit; 2, 6, ... hang; 3, 7, ... print garbage;
  // 0, 4, ... never misbehave. Otherwise the Python client answers (through a coprocess).
  const fs::path pwned = dir_ / "pwned";
  const std::string hostile = "a'b\"c $(touch " + pwned.string() + ") `touch " + pwned.string() +
                              "`; touch " + pwned.string() + "\nline2 ${HOME} \\ && | > end'";
  std::ofstream(dir_ / "moody.sh") << R"sh(#!/bin/bash
printf '%s' "$FAULTLINE_SETTING_HOSTILE" >"$(dirname "$0")/client-hostile"
coproc CLIENT { exec /usr/bin/python3 )sh"
                                   << (kExamples / "redis" / "redis_client.py").string() << R"sh(; }
n=0
while IFS= read -r line; do
  n=$((n + 1))
  if [ $((n % 15)) = 0 ]; then
    case $((FAULTLINE_PROCESS % 4)) in
      1) echo "crashing on purpose" >&2; exit 3 ;;
      2) exec -a "moody-hang-$(dirname "$0")" sleep 1000 ;;
      3) echo "this is not a reply"; continue ;;
    esac
  fi
  echo "$line" >&"${CLIENT[1]}"
  IFS= read -r reply <&"${CLIENT[0]}" || exit 4
  echo "$reply"
done
)sh";
  toml::table file = redis_file();
  file.insert_or_assign("name", "redis-moody");
  toml::table& db = *file["db"].as_table();
  db.insert_or_assign("start", "printf '%s' \"$FAULTLINE_SETTING_HOSTILE\" >\"" + dir_.string() +
                                   "/node-$FAULTLINE_NODE\"\n" +
                                   db["start"].value_or(std::string()));
  toml::table& client = *file["client"].as_table();
  client.insert_or_assign("command", toml::array{"bash", (dir_ / "moody.sh").string()});
  client.insert_or_assign("workloads", toml::array{"register"});
  file["settings"].as_table()->insert_or_assign("hostile", toml::array{"plain", hostile});
  file.erase("matrix");

  Outcome r = faultline({"test", "--test-file", write(file, "moody.toml").string(), "--db-setting",
                         "hostile=" + hostile, "--time-limit", "10", "--op-timeout", "800",
                         "--concurrency", "4", "--rate", "200"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;  // info operations cannot make it invalid
  const fs::path run = fs::canonical(store_ / "latest");
  std::size_t timeouts = 0, garbage = 0, exited = 0;
  std::set<std::int64_t> processes;
  for (const auto& op : history_of(run)) {
    if (!op.at("process").is_int64()) continue;
    processes.insert(op.at("process").as_int64());
    if (op.at("type") != "info") continue;
    const std::string e = error_text(op);
    timeouts += e.find("timeout: no reply within 800 ms") != std::string::npos;
    garbage += e.find("the client's reply is not {") != std::string::npos &&
               e.find("this is not a reply") != std::string::npos;
    exited += e.find("exited with status 3") != std::string::npos;
  }
  EXPECT_GT(timeouts, 0u);
  EXPECT_GT(garbage, 0u);
  EXPECT_GT(exited, 0u);
  EXPECT_GT(processes.size(), 8u) << "each misbehaving program was retired and replaced";
  for (std::int64_t p : processes) {
    // Only processes 0, 4, 8, ... stem from the well-behaved worker 0 (final and convergence
    // reads have process numbers of their own, far above these).
    if (p < 1'000'000 && p % 4 == 0) {
      EXPECT_EQ(p, 0) << "worker 0's program was replaced though it behaved";
    }
  }
  const std::string log = slurp(run / "faultline.log");
  EXPECT_NE(log.find("crashing on purpose"), std::string::npos) << "stderr reaches the log";
  EXPECT_NE(log.find("retired: timeout"), std::string::npos);
  EXPECT_TRUE(processes_with("moody-hang-").empty()) << "a hung client's process survived";

  // The hostile value arrived byte for byte, on every node and in the client, never run.
  for (const char* node : {"n1", "n2", "n3"})
    EXPECT_EQ(slurp(dir_ / (std::string("node-") + node)), hostile);
  EXPECT_EQ(slurp(dir_ / "client-hostile"), hostile);
  EXPECT_FALSE(fs::exists(pwned)) << "a setting value was run as shell";
}

TEST_F(TestFileRun, TestAllRunsATwoByTwoMatrixIntoOneSummary) {
  Outcome r =
      faultline({"test-all", (kExamples / "redis" / "redis.toml").string(), "--time-limit", "3",
                 "--nemesis-interval", "1", "--summary-dir", (dir_ / "summary").string()},
                240s);
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.out << r.err;
  for (const char* row :
       {"nemesis=none read-from=primary", "nemesis=none read-from=replica",
        "nemesis=partition read-from=primary", "nemesis=partition read-from=replica"})
    EXPECT_NE(r.out.find(std::string("\n") + row + " "), std::string::npos) << row << "\n" << r.out;
  EXPECT_NE(r.out.find("4 combinations: "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\nverdict: "), std::string::npos) << "each run's own lines go to stderr";

  const std::string junit = slurp(dir_ / "summary" / "junit.xml");
  EXPECT_NE(junit.find("<testsuite name=\"redis\" tests=\"4\""), std::string::npos) << junit;
  const bool failed = junit.find("<failure") != std::string::npos;
  EXPECT_EQ(r.exit_code, failed ? 1 : 0) << "the exit code is the worst verdict";
  EXPECT_NE(junit.find(std::string("name=\"verdict\" value=\"") + (failed ? "invalid" : "valid")),
            std::string::npos);

  const std::string html = slurp(dir_ / "summary" / "summary.html");
  std::regex link("href=\"([^\"]+)\"");
  std::size_t links = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), link); it != std::sregex_iterator();
       ++it) {
    ++links;
    EXPECT_TRUE(fs::exists(dir_ / "summary" / (*it)[1].str())) << (*it)[1].str();
  }
  EXPECT_EQ(links, 4u);
}

TEST_F(TestFileRun, RedisBuiltInAndAsATestFileGiveTheSameVerdictAndAnomalies) {
  // Replica reads of an asynchronously replicated register under partitions: stale reads,
  // whichever way the store is described.
  std::vector<std::string> common{"--workload",
                                  "register",
                                  "--nemesis",
                                  "partition",
                                  "--nemesis-interval",
                                  "2",
                                  "--time-limit",
                                  "8",
                                  "--seed",
                                  "5",
                                  "--db-setting",
                                  "read-from=replica"};
  std::vector<std::string> builtin{"test", "--db", "redis"},
      file{"test", "--test-file", (kExamples / "redis" / "redis.toml").string()};
  builtin.insert(builtin.end(), common.begin(), common.end());
  file.insert(file.end(), common.begin(), common.end());
  Outcome a = faultline(builtin);
  const fs::path run_a = fs::canonical(store_ / "latest");
  Outcome b = faultline(file);
  const fs::path run_b = fs::canonical(store_ / "latest");
  ASSERT_NE(run_a, run_b);
  EXPECT_EQ(a.exit_code, 1) << a.out << a.err;
  EXPECT_EQ(b.exit_code, a.exit_code) << b.out << b.err;
  auto ra = results_of(run_a), rb = results_of(run_b);
  EXPECT_EQ(ra.at("checker"), rb.at("checker"));
  EXPECT_EQ(ra.at("model"), rb.at("model"));
  EXPECT_EQ(ra.at("verdict"), rb.at("verdict"));
  EXPECT_GT(ra.at("partition_counts").at("invalid").as_int64(), 0);
  EXPECT_GT(rb.at("partition_counts").at("invalid").as_int64(), 0);
}

}  // namespace
}  // namespace faultline
