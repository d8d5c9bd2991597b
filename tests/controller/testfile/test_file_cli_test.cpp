// Bad test files (docs/test-files.md) are refused with one line FILE:LINE:COL: problem (key)
// and exit 64, before any node is touched and without writing to the store; a client that
// cannot start is refused with exit 69, also before any node. No cluster is needed: the
// nodes given are TEST-NET addresses nobody answers, so touching one would take seconds and
// end in a connection error instead.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>

#include "tests/support/subprocess.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using testing::Outcome;

const std::string kFaultline = FAULTLINE_BINARY;

// A store that is valid as far as the file goes; each test breaks one thing.
const std::string kGoodStore = R"(name = "toy"
workload = "register"

[db]
start = "true"
wipe = "true"
healthy = "true"
pid_file = "/var/lib/toy/${FAULTLINE_ADDRESS}/toy.pid"

[client]
command = ["bash", "client.sh"]
workloads = ["register"]

[settings]
read = ["plain", "sync"]
)";

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

class TestFileCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("faultline-testfile-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "store" / "earlier-run" / "20260101T000000");
    std::ofstream(dir_ / "store" / "earlier-run" / "20260101T000000" / "history.jsonl")
        << "{\"index\":0,\"type\":\"invoke\",\"process\":0,\"f\":\"read\",\"value\":null}\n";
    std::ofstream(dir_ / "client.sh") << "while read -r l; do echo '{\"type\":\"ok\"}'; done\n";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path write(const std::string& text, const std::string& name = "t.toml") {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::trunc) << text;
    return p;
  }

  // Runs `faultline <args>` and checks nothing was recorded: the store holds the earlier run
  // only, byte for byte.
  Outcome faultline(std::vector<std::string> args) {
    std::vector<std::string> argv{kFaultline};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(),
                {"--store", (dir_ / "store").string(), "--nodes", "192.0.2.1,192.0.2.2"});
    auto start = std::chrono::steady_clock::now();
    Outcome r = testing::run(argv, std::chrono::seconds(30));
    elapsed_ = std::chrono::steady_clock::now() - start;
    std::set<std::string> entries;
    for (const auto& e : fs::recursive_directory_iterator(dir_ / "store"))
      entries.insert(fs::relative(e.path(), dir_ / "store").string());
    EXPECT_EQ(entries, (std::set<std::string>{"earlier-run", "earlier-run/20260101T000000",
                                              "earlier-run/20260101T000000/history.jsonl"}));
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(lines(r.err), 1u) << r.err;
    EXPECT_LT(elapsed_, std::chrono::seconds(3)) << "a node was touched? " << r.err;
    return r;
  }

  // "<file>:LINE:COL:" at the start of the message (after "faultline: ").
  static std::string where(const fs::path& file, int line, int col) {
    return file.string() + ":" + std::to_string(line) + ":" + std::to_string(col) + ": ";
  }

  fs::path dir_;
  std::chrono::steady_clock::duration elapsed_{};
};

TEST_F(TestFileCli, AnUnknownKeyInDbNamesItsLineAndColumn) {
  std::string text = kGoodStore;
  text.replace(text.find("wipe ="), 0, "strat = \"oops\"\n");
  fs::path f = write(text);
  Outcome r = faultline({"test", "--test-file", f.string()});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find(where(f, 6, 1) + "unknown key in [db]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(strat)"), std::string::npos) << r.err;
}

TEST_F(TestFileCli, AMissingRequiredCommandIsNamed) {
  std::string text = kGoodStore;
  text.erase(text.find("start = \"true\"\n"), std::string("start = \"true\"\n").size());
  fs::path f = write(text);
  Outcome r = faultline({"test", "--test-file", f.string()});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find(f.string() + ":4:1: [db] has no start command (start)"), std::string::npos)
      << r.err;
}

TEST_F(TestFileCli, AStoreWhoseProcessCannotBeFoundIsRefused) {
  std::string text = kGoodStore;
  const std::string pid = "pid_file = \"/var/lib/toy/${FAULTLINE_ADDRESS}/toy.pid\"\n";
  text.erase(text.find(pid), pid.size());
  fs::path f = write(text);
  Outcome r = faultline({"test", "--test-file", f.string()});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find(f.string() + ":4:1: [db] needs pid_file or process_name"), std::string::npos)
      << r.err;
}

TEST_F(TestFileCli, AWrongTypeIsNamedAtTheValue) {
  std::string text = kGoodStore;
  text.replace(text.find("pid_file"), 0, "healthy_timeout = \"soon\"\n");
  fs::path f = write(text);
  Outcome r = faultline({"test", "--test-file", f.string()});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find(where(f, 8, 19) + "expected whole seconds, not a string (healthy_timeout)"),
            std::string::npos)
      << r.err;

  fs::path g = write("time-limit = \"long\"\n", "options.toml");
  r = faultline({"test", "--test-file", g.string()});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find(where(g, 1, 14) + "expected a number, not a string (time-limit)"),
            std::string::npos)
      << r.err;
}

TEST_F(TestFileCli, AWorkloadTheClientDoesNotListIsRefusedAtTheFilesLine) {
  std::string text = kGoodStore;
  text.replace(text.find("workload = \"register\""), std::string("workload = \"register\"").size(),
               "workload = \"set\"");
  fs::path f = write(text);
  Outcome r = faultline({"test", "--test-file", f.string()});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find(where(f, 2, 12) + "toy has no client for workload 'set' (it has: register)"),
            std::string::npos)
      << r.err;
  // ... and on the command line too.
  fs::path g = write(kGoodStore, "good.toml");
  r = faultline({"test", "--test-file", g.string(), "--workload", "bank"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("toy has no client for workload 'bank'"), std::string::npos) << r.err;
}

TEST_F(TestFileCli, AnUnknownOptionSyntaxErrorsAndUnknownSettingsAreRefused) {
  fs::path f = write("nemessis = \"partition\"\n");
  Outcome r = faultline({"test", "--test-file", f.string()});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find(where(f, 1, 1) + "unknown key: no option --nemessis"), std::string::npos)
      << r.err;

  f = write("[db\nstart = 1\n");
  r = faultline({"test", "--test-file", f.string()});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find(f.string() + ":1:"), std::string::npos) << r.err;

  fs::path g = write(kGoodStore, "good.toml");
  r = faultline({"test", "--test-file", g.string(), "--db-setting", "read=eventual"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("read cannot be 'eventual' (expected plain or sync)"), std::string::npos)
      << r.err;
  r = faultline({"compare", "--test-file", g.string(), "--modes", "read=plain,colour=red"});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("toy has no option 'colour' (it has: read)"), std::string::npos) << r.err;
}

TEST_F(TestFileCli, ABadMatrixEntryIsRefusedBeforeAnyCombinationRuns) {
  fs::path f = write(kGoodStore +
                     "\n[matrix]\nnemesis = [\"none\", \"partition\"]\n"
                     "setting.read = [\"plain\", \"linear\"]\n");
  Outcome r = faultline({"test-all", f.string()});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find(where(f, 19, 26) + "read cannot be 'linear'"), std::string::npos) << r.err;
}

TEST_F(TestFileCli, TestAllListsEveryCombinationOrThoseItsFilterMatches) {
  fs::path f = write(kGoodStore +
                     "\n[matrix]\nnemesis = [\"none\", \"partition\"]\n"
                     "setting.read = [\"plain\", \"sync\"]\n");
  std::vector<std::string> base{kFaultline, "test-all", f.string(),
                                "--list",   "--nodes",  "192.0.2.1"};
  Outcome all = testing::run(base, std::chrono::seconds(30));
  EXPECT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(all.out,
            "nemesis=none read=plain\ttoy-none-plain\n"
            "nemesis=none read=sync\ttoy-none-sync\n"
            "nemesis=partition read=plain\ttoy-partition-plain\n"
            "nemesis=partition read=sync\ttoy-partition-sync\n");
  base.insert(base.end(), {"--filter", "partition.*sync"});
  Outcome some = testing::run(base, std::chrono::seconds(30));
  EXPECT_EQ(some.out, "nemesis=partition read=sync\ttoy-partition-sync\n") << some.err;
  base.back() = "pause";
  Outcome none = testing::run(base, std::chrono::seconds(30));
  EXPECT_EQ(none.exit_code, 64);
  EXPECT_NE(none.err.find("matches no combination"), std::string::npos) << none.err;
}

TEST_F(TestFileCli, AClientThatCannotStartIsRefusedWithExit69BeforeAnyNode) {
  std::string text = kGoodStore;
  text.replace(text.find("[\"bash\", \"client.sh\"]"),
               std::string("[\"bash\", \"client.sh\"]").size(), "[\"./no-such-client\"]");
  fs::path f = write(text);
  Outcome r = faultline({"test", "--test-file", f.string()});
  EXPECT_EQ(r.exit_code, 69);
  EXPECT_NE(r.err.find("no-such-client is not an executable file"), std::string::npos) << r.err;
}

TEST_F(TestFileCli, AFileThatCannotBeReadExits66) {
  Outcome r = faultline({"test", "--test-file", (dir_ / "missing.toml").string()});
  EXPECT_EQ(r.exit_code, 66);
}

}  // namespace
}  // namespace faultline
