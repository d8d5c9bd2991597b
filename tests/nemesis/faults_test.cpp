// Clock, pause, kill and packet faults on a real 3-node cluster: each is seen where it was
// aimed, nowhere else, and stopping it undoes it.

#include <ctime>
#include <fstream>
#include <regex>
#include <thread>

#include "nemesis/errors.h"
#include "nemesis/faketime.h"
#include "tests/nemesis/nemesis_fixture.h"

namespace faultline::nemesis::testing {
namespace {

constexpr const char* kPidFile = "/tmp/fl-nemesis-sleep.pid";  // each node has its own /tmp

// A long sleep on the node whose pid goes to kPidFile.
remote::Command start_sleeper() {
  remote::Command c{"sh", "-c",
                    "nohup sleep 1000 >/dev/null 2>&1 & echo $! > " + std::string(kPidFile)};
  return c;
}

NemesisHooks sleeper_hooks() {
  NemesisHooks hooks;
  hooks.processes =
      std::make_shared<FixedProcessControl>(ProcessSelector{kPidFile, ""}, start_sleeper());
  return hooks;
}

// State letter of /proc/PID/stat ('S', 'T', ...), '?' if the process is gone. Nodes share
// the controller's pid namespace, so the controller can look.
char process_state(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return '?';
  auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() ? '?' : line[close + 2];
}

// Signals are delivered asynchronously: the state once it settles on `want` (or after 2 s).
char settled_state(int pid, char want) {
  char state = process_state(pid);
  for (int i = 0; i < 200 && state != want; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    state = process_state(pid);
  }
  return state;
}

class FaultsTest : public NemesisTest {
 protected:
  int sleeper_pid(const std::string& node) {
    auto r = on(node, remote::Command{"cat", kPidFile});
    return r.ok() ? std::stoi(r.out) : -1;
  }
  // Seconds a faketime'd `date` on the node is ahead of the controller.
  long faked_skew_s(const std::string& node) {
    auto r = on(node, remote::Command(faketime_launch_argv(nodes_->node(node), {"date", "+%s"})));
    EXPECT_TRUE(r.ok()) << r.err;
    return std::stol(r.out) - static_cast<long>(std::time(nullptr));
  }
  // Packet loss (percent) of 50 pings from `from` to `to`.
  int ping_loss(const std::string& from, const std::string& to) {
    auto r =
        on(from, remote::Command{"ping", "-q", "-c", "50", "-i", "0.01", "-W", "1", address(to)});
    std::smatch m;
    std::regex loss("([0-9]+)% packet loss");
    EXPECT_TRUE(std::regex_search(r.out, m, loss)) << r.out << r.err;
    return std::stoi(m[1]);
  }
};

TEST_F(FaultsTest, ClockBumpIsSeenByFaketimedProcessOnTargetOnlyAndResetUndoesIt) {
  bring_up("clock", 3);
  FaultOptions options;
  options.target = parse_target("n2");
  options.clock_mode = ClockMode::kBump;
  options.clock_strategy = ClockStrategy::kFaketime;
  options.offset_ms = 30'000;
  auto clock = make_fault(FaultKind::kClock, options, *context_);
  std::mt19937_64 rng(1);
  Operation op = clock->start(rng);
  EXPECT_NEAR(faked_skew_s("n2"), 30, 2);
  EXPECT_NEAR(faked_skew_s("n1"), 0, 2);
  EXPECT_NEAR(faked_skew_s("n3"), 0, 2);
  // The operation records the offsets measured before and after on the target.
  const auto& n2 = op.value.at("nodes").at("n2").as_object();
  EXPECT_NEAR(n2.at("before").at("faketime_offset_ms").to_number<double>(), 0, 500);
  EXPECT_NEAR(n2.at("after").at("faketime_offset_ms").to_number<double>(), 30'000, 500);
  clock->stop();
  EXPECT_NEAR(faked_skew_s("n2"), 0, 2);
}

TEST_F(FaultsTest, SystemClockStrategyIsRefusedOnNodesSharingThisKernel) {
  bring_up("sysclk", 2);
  FaultOptions options;
  options.clock_strategy = ClockStrategy::kSystem;
  auto clock = make_fault(FaultKind::kClock, options, *context_);
  try {
    clock->check();
    FAIL() << "system clock strategy accepted on a local cluster";
  } catch (const FaultRefused& e) {
    EXPECT_NE(std::string(e.what()).find("share this machine's kernel"), std::string::npos);
  }
  EXPECT_TRUE(ops_.empty());  // refused before anything was applied or recorded
}

TEST_F(FaultsTest, ClockFaultIsRefusedForDatabasesThatIgnoreFaketime) {
  NemesisHooks hooks;
  hooks.clock = {ClockSkewSupport::kSystemOnly, "etcd", "Go reads time through the vDSO"};
  bring_up("etcdclk", 2, hooks);
  auto clock = make_fault(FaultKind::kClock, FaultOptions{}, *context_);
  EXPECT_THROW(clock->check(), FaultRefused);
}

TEST_F(FaultsTest, PauseStopsTheProcessAndResumeContinuesIt) {
  bring_up("pause", 2, sleeper_hooks());
  for (const auto& n : names()) ASSERT_TRUE(on(n, start_sleeper()).ok());
  const int pid1 = sleeper_pid("n1"), pid2 = sleeper_pid("n2");
  FaultOptions options;
  options.target = parse_target("n1");
  auto pause = make_fault(FaultKind::kPause, options, *context_);
  std::mt19937_64 rng(1);
  Operation op = pause->start(rng);
  EXPECT_EQ(boost::json::value_to<std::string>(op.value.at("nodes").at("n1").at("pids").at(0)),
            std::to_string(pid1));
  EXPECT_EQ(settled_state(pid1, 'T'), 'T');
  EXPECT_EQ(settled_state(pid2, 'S'), 'S');  // the other node's sleeper is untouched
  pause->stop();
  EXPECT_EQ(settled_state(pid1, 'S'), 'S');
}

TEST_F(FaultsTest, KillTakesTheProcessAndStopRestartsIt) {
  bring_up("kill", 2, sleeper_hooks());
  for (const auto& n : names()) ASSERT_TRUE(on(n, start_sleeper()).ok());
  const int before = sleeper_pid("n2");
  FaultOptions options;
  options.target = parse_target("n2");
  auto kill = make_fault(FaultKind::kKill, options, *context_);
  std::mt19937_64 rng(1);
  kill->start(rng);
  for (int i = 0; i < 50 && process_state(before) != '?' && process_state(before) != 'Z'; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(process_state(before) == '?' || process_state(before) == 'Z');
  EXPECT_EQ(settled_state(sleeper_pid("n1"), 'S'), 'S');
  // The history says what was done (which node came back), not the restart script's text.
  Operation stopped = kill->stop();
  EXPECT_EQ(stopped.value, boost::json::parse(R"({"restarted":["n2"]})"))
      << boost::json::serialize(stopped.value);
  const int after = sleeper_pid("n2");
  EXPECT_NE(after, before);
  EXPECT_EQ(settled_state(after, 'S'), 'S');
}

TEST_F(FaultsTest, CrashKillsEveryNodeAtOnceAndStopRestartsThemAll) {
  bring_up("crash", 3, sleeper_hooks());
  for (const auto& n : names()) ASSERT_TRUE(on(n, start_sleeper()).ok());
  std::map<std::string, int> before;
  for (const auto& n : names()) before[n] = sleeper_pid(n);
  auto crash = make_fault(FaultKind::kCrash, FaultOptions{}, *context_);
  std::mt19937_64 rng(1);
  Operation op = crash->start(rng);
  EXPECT_EQ(op.f, "start-crash");
  EXPECT_EQ(op.value.at("nodes").as_object().size(), 3u) << boost::json::serialize(op.value);
  // Each node signalled at the shared deadline: well within the second the lead allows.
  EXPECT_LT(op.value.at("spread_ms").to_number<double>(), 500.0);
  for (const auto& [n, pid] : before) {
    for (int i = 0; i < 50 && process_state(pid) != '?' && process_state(pid) != 'Z'; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_TRUE(process_state(pid) == '?' || process_state(pid) == 'Z') << n;
  }
  Operation stopped = crash->stop();
  EXPECT_EQ(stopped.value, boost::json::parse(R"({"restarted":["n1","n2","n3"]})"))
      << boost::json::serialize(stopped.value);
  for (const auto& [n, pid] : before) EXPECT_NE(sleeper_pid(n), pid) << n;
}

TEST_F(FaultsTest, PacketLossIsMeasurableTowardsTheTargetOnly) {
  bring_up("loss", 3);
  FaultOptions options;
  options.target = parse_target("n1");
  options.packet.loss_percent = 50;
  auto packet = make_fault(FaultKind::kPacket, options, *context_);
  packet->check();
  std::mt19937_64 rng(1);
  packet->start(rng);
  const int lossy = ping_loss("n2", "n1");
  EXPECT_GE(lossy, 20);
  EXPECT_LE(lossy, 80);
  EXPECT_EQ(ping_loss("n2", "n3"), 0);
  packet->stop();
  EXPECT_LE(ping_loss("n2", "n1"), 4);
}

TEST_F(FaultsTest, DelayWhereTheKernelHasNetem) {
  bring_up("delay", 2);
  FaultOptions options;
  options.target = parse_target("n1");
  options.packet.delay_ms = 100;
  auto packet = make_fault(FaultKind::kPacket, options, *context_);
  try {
    packet->check();
  } catch (const FaultRefused& e) {
    // Refused, not pretended: the message says netem is missing.
    EXPECT_NE(std::string(e.what()).find("no netem"), std::string::npos) << e.what();
    GTEST_SKIP() << "this kernel has no netem, so delay cannot be applied: " << e.what();
  }
  std::mt19937_64 rng(1);
  packet->start(rng);
  auto r = on("n2", remote::Command{"ping", "-q", "-c", "5", "-i", "0.2", address("n1")});
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("= [0-9.]+/([0-9.]+)/"))) << r.out;
  EXPECT_GE(std::stod(m[1]), 90.0);  // replies leave n1 100 ms late
}

}  // namespace
}  // namespace faultline::nemesis::testing
