// A controller SIGKILLed in the middle of a fault schedule leaves faults behind; `faultline
// heal` (the real binary, as a person would run it) removes every one: rules, qdiscs, clock
// offsets and paused processes. And the "done when" line works as typed.

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/nemesis/nemesis_fixture.h"

extern char** environ;

namespace faultline::nemesis::testing {
namespace {

// Runs the faultline binary with `args`; returns its exit status (stdout/stderr inherited).
int faultline(const std::vector<std::string>& args, pid_t* background = nullptr) {
  std::vector<std::string> words{FAULTLINE_BINARY};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  if (background) {
    *background = pid;
    return 0;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::size_t file_size(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return ec ? 0 : size;
}

class HealTest : public NemesisTest {};

TEST_F(HealTest, HealAfterSigkilledScheduleLeavesNoRuleQdiscOffsetOrPausedProcess) {
  bring_up("heal", 3);
  const std::string cluster = cluster_->name();
  const std::string pid_file = "/tmp/fl-nemesis-heal.pid";
  ASSERT_TRUE(on("n1", remote::Command{"sh", "-c",
                                       "nohup sleep 1000 >/dev/null 2>&1 & echo $! > " + pid_file})
                  .ok());
  const int sleeper = std::stoi(on("n1", remote::Command{"cat", pid_file}).out);

  // One-shot faults stay applied after their command exits.
  ASSERT_EQ(faultline({"nemesis", "start", "pause", "--target", "n1", "--pid-file", pid_file,
                       "--cluster", cluster}),
            0);
  ASSERT_EQ(
      faultline({"nemesis", "start", "clock", "--target", "n2", "--clock-mode", "bump",
                 "--offset-ms", "5000", "--clock-strategy", "faketime", "--cluster", cluster}),
      0);
  ASSERT_EQ(faultline({"nemesis", "start", "packet", "--target", "n3", "--loss", "10", "--rate",
                       "1mbit", "--cluster", cluster}),
            0);
  // A schedule holding a partition, killed mid-fault.
  pid_t runner = 0;
  ASSERT_EQ(faultline({"nemesis", "run", "--nemesis", "partition", "--grudge", "one",
                       "--nemesis-interval", "0.3", "--seed", "1", "--cluster", cluster},
                      &runner),
            0);
  const std::string marker_dir = "/run/faultline/nemesis/" + cluster + "/";
  bool partitioned = false;
  for (int i = 0; i < 100 && !partitioned; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (const auto& n : names()) {
      partitioned = partitioned || file_size(marker_dir + n + "/active/partition.json") > 0;
    }
  }
  kill(runner, SIGKILL);
  waitpid(runner, nullptr, 0);
  ASSERT_TRUE(partitioned) << "the schedule never applied a partition";
  std::ifstream stat("/proc/" + std::to_string(sleeper) + "/stat");
  std::string line;
  std::getline(stat, line);
  ASSERT_NE(line.find(") T "), std::string::npos) << line;

  ASSERT_EQ(faultline({"heal", "--cluster", cluster}), 0);

  for (const auto& n : names()) {
    SCOPED_TRACE(n);
    auto tables = on(n, remote::Command{"nft", "list", "tables"});
    EXPECT_EQ(tables.out.find("faultline"), std::string::npos) << tables.out;
    auto qdiscs = on(n, remote::Command{"tc", "qdisc", "show"});
    EXPECT_EQ(qdiscs.out.find("fa17:"), std::string::npos) << qdiscs.out;
    auto offset = on(n, remote::Command{"sh", "-c", "cat \"$1\" 2>/dev/null || echo absent", "sh",
                                        marker_dir + n + "/faketime"});
    EXPECT_TRUE(offset.out == "+0\n" || offset.out == "absent\n") << offset.out;
    auto markers = on(n, remote::Command{"sh", "-c", "cat \"$1\"/active/*.json 2>/dev/null; true",
                                         "sh", marker_dir + n});
    EXPECT_EQ(markers.out, "");
  }
  std::ifstream after("/proc/" + std::to_string(sleeper) + "/stat");
  std::getline(after, line);
  EXPECT_EQ(line.find(") T "), std::string::npos) << line;
}

TEST(DoneWhen, ClusterUpPartitionHealClusterDownAsTyped) {
  const std::string cluster = unique_cluster_name("typed");
  ScopedCluster guard_name_only_for_cleanup_on_failure(cluster, 3);  // brought up here ...
  // ... and again by the command, which replaces a cluster of the same name, as a person would.
  EXPECT_EQ(faultline({"cluster", "up", "--name", cluster, "--nodes", "3"}), 0);
  EXPECT_EQ(faultline({"nemesis", "start", "partition", "--grudge", "one", "--cluster", cluster}),
            0);
  EXPECT_EQ(faultline({"heal", "--cluster", cluster}), 0);
  EXPECT_EQ(faultline({"cluster", "down", "--name", cluster}), 0);
  EXPECT_FALSE(remote::cluster_status(cluster).exists);
}

}  // namespace
}  // namespace faultline::nemesis::testing
