// A store described only by shell text (a test file's [db] table), driven by ScriptDatabase on
// a local cluster of the test's own: lifecycle, the environment every command sees, a hostile
// setting value arriving as data, process faults through the pid file, primaries, logs.
// The "store" is a sleep process per node; its files live in one shared directory per cluster
// (nodes of a local cluster share the filesystem, except /tmp).

#include "adapters/script/script_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/script/script_database.h"
#include "remote/local_cluster.h"

namespace faultline::adapters {
namespace {

using namespace std::chrono_literals;

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ScriptStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = "st" + std::to_string(::getpid() % 100000);
    file_ = remote::cluster_up({cluster_, 3, {}});
    nodes_ = std::make_unique<remote::NodeSet>(file_.nodes);
    root_ = "/var/lib/faultline/scripttest/" + cluster_;
    std::filesystem::create_directories(root_);
    // Every shell metacharacter a value could smuggle in: quotes, substitutions, ;, newlines.
    // Were it ever evaluated, the file `pwned` would appear.
    const std::string touch = "touch " + (root_ / "pwned").string();
    hostile_ =
        "a'b\"c $(" + touch + ") `" + touch + "`; " + touch + "\nline2 ${HOME} \\ && | > end'";
  }
  void TearDown() override {
    db_.reset();
    nodes_.reset();
    try {
      remote::cluster_down(cluster_);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "cluster_down: " << e.what();
    }
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
    std::filesystem::remove_all("/run/faultline/nemesis/" + cluster_, ec);
  }

  ScriptStore store() const {
    const std::string d = "d=" + root_.string() + "/$FAULTLINE_NODE; ";
    ScriptStore s;
    s.name = "sleepy";
    s.base_dir = root_;
    s.start = d + R"(mkdir -p "$d"; env | grep '^FAULTLINE_' | sort >"$d/env"
printf '%s' "$FAULTLINE_SETTING_MODE" >"$d/mode"; echo started >>"$d/store.log"
nohup setsid sleep 100000 >/dev/null 2>&1 &
echo $! >"$d/pid"; touch "$d/ready")";
    s.healthy =
        d +
        R"sh([ -f "$d/ready" ] && grep -q '^State:[[:space:]]*[RSDT]' "/proc/$(cat "$d/pid")/status")sh";
    // (not kill -0: a killed process may stay a zombie, its parent being an init that never reaps)
    s.wipe = d + R"(rm -rf "$d")";
    s.primaries = R"([ "$FAULTLINE_INDEX" = 0 ] && echo "$FAULTLINE_NODE"; true)";
    s.version = "echo 1.2.3";
    s.pid_file = root_.string() + "/${FAULTLINE_NODE}/pid";
    s.process_name = "sleep";
    s.logs = {root_.string() + "/${FAULTLINE_NODE}/store.log"};
    s.healthy_timeout = 10s;
    s.workloads = {"register"};
    s.settings = {{"mode", {"plain", hostile_}}};
    return s;
  }

  DatabaseOptions options(std::map<std::string, std::string> settings = {}) const {
    DatabaseOptions o;
    o.run_id = "run-" + cluster_;
    o.settings = std::move(settings);
    o.log = [](const std::string& line) { std::cerr << "[log] " << line << "\n"; };
    return o;
  }

  std::string pid_of(const std::string& node) const {
    std::string pid;
    std::ifstream(root_ / node / "pid") >> pid;
    return pid;
  }
  static char state_of(const std::string& pid) {
    std::ifstream in("/proc/" + pid + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("State:", 0) == 0) return line.at(line.find_first_not_of(" \t", 6));
    }
    return '-';  // gone
  }
  static bool gone(const std::string& pid) {
    for (int i = 0; i < 100; ++i) {
      char s = state_of(pid);
      if (s == '-' || s == 'Z') return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  std::string cluster_;
  remote::NodesFile file_;
  std::unique_ptr<remote::NodeSet> nodes_;
  std::filesystem::path root_;
  std::unique_ptr<Database> db_;
  std::string hostile_;
};

TEST_F(ScriptStoreTest, LifecycleEnvironmentAndAHostileSettingArrivingAsData) {
  ScriptStore s = store();
  db_ = make_script_database(s, *nodes_, options({{"mode", hostile_}}));
  const std::filesystem::path pwned = root_ / "pwned";
  db_->setup();
  const auto names = nodes_->names();
  std::string all_names, all_addresses;
  for (const auto& n : nodes_->nodes()) {
    all_names += (all_names.empty() ? "" : " ") + n.name;
    all_addresses += (all_addresses.empty() ? "" : " ") + n.host;
  }
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string env = slurp(root_ / names[i] / "env");
    EXPECT_NE(env.find("FAULTLINE_NODE=" + names[i] + "\n"), std::string::npos) << env;
    EXPECT_NE(env.find("FAULTLINE_ADDRESS=" + nodes_->node(names[i]).host + "\n"),
              std::string::npos);
    EXPECT_NE(env.find("FAULTLINE_INDEX=" + std::to_string(i) + "\n"), std::string::npos) << env;
    EXPECT_NE(env.find("FAULTLINE_NODES=" + all_names + "\n"), std::string::npos) << env;
    EXPECT_NE(env.find("FAULTLINE_ADDRESSES=" + all_addresses + "\n"), std::string::npos) << env;
    EXPECT_NE(env.find("FAULTLINE_RUN=run-" + cluster_ + "\n"), std::string::npos) << env;
    EXPECT_EQ(slurp(root_ / names[i] / "mode"), hostile_) << "byte for byte on " << names[i];
  }
  EXPECT_FALSE(std::filesystem::exists(pwned)) << "a setting value was run as shell";

  EXPECT_EQ(db_->primaries(), std::vector<std::string>{names.front()});
  EXPECT_EQ(db_->version(), "1.2.3");
  ProcessLocation where = db_->process_location(nodes_->node(names[1]));
  EXPECT_EQ(where.pid_file, (root_ / names[1] / "pid").string());
  EXPECT_EQ(where.process_name, "sleep");

  // start is a no-op while the store runs.
  const std::string first = pid_of(names[0]);
  db_->start(names[0]);
  EXPECT_EQ(pid_of(names[0]), first);

  // kill, then the nemesis' restart command brings it back as a new process.
  const std::string victim = pid_of(names[1]);
  db_->kill(names[1]);
  EXPECT_TRUE(gone(victim));
  EXPECT_FALSE(db_->wait_healthy(600ms));
  nodes_->session(names[1]).run(db_->restart_command(nodes_->node(names[1])));
  EXPECT_TRUE(db_->wait_healthy(5s));
  EXPECT_NE(pid_of(names[1]), victim);
  EXPECT_EQ(state_of(pid_of(names[1])), 'S');

  // pause and resume act on the pid file's process.
  const std::string paused = pid_of(names[2]);
  db_->pause(names[2]);
  EXPECT_EQ(state_of(paused), 'T');
  db_->resume(names[2]);
  EXPECT_EQ(state_of(paused), 'S');

  const auto logs = std::filesystem::temp_directory_path() / ("faultline-logs-" + cluster_);
  db_->download_logs(logs);
  EXPECT_EQ(slurp(logs / names[0] / "store.log"), "started\n");
  EXPECT_EQ(slurp(logs / names[1] / "store.log"), "started\nstarted\n");
  std::filesystem::remove_all(logs);

  // teardown: stopped (SIGTERM to the pid file's process by default) and wiped.
  std::vector<std::string> pids;
  for (const auto& n : names) pids.push_back(pid_of(n));
  db_->teardown();
  for (const auto& pid : pids) EXPECT_TRUE(gone(pid)) << pid;
  for (const auto& n : names) EXPECT_FALSE(std::filesystem::exists(root_ / n));
  db_->teardown();  // idempotent
  EXPECT_FALSE(std::filesystem::exists(pwned));
}

TEST_F(ScriptStoreTest, TheClientSeesTheSameEnvironmentAndTheSettingAsData) {
  ScriptStore s = store();
  std::ofstream(root_ / "client.sh") << R"sh(#!/bin/bash
printf '%s' "$FAULTLINE_SETTING_MODE" > "client-mode-$FAULTLINE_PROCESS"
while read -r line; do
  echo "{\"type\":\"ok\",\"value\":\"$FAULTLINE_NODE $FAULTLINE_INDEX $FAULTLINE_WORKLOAD $FAULTLINE_PROCESS $FAULTLINE_TIMEOUT_MS\"}"
done
)sh";
  std::filesystem::permissions(root_ / "client.sh", std::filesystem::perms::owner_all);
  s.client_command = {"./client.sh"};
  EXPECT_NO_THROW(check_client_startable(s));
  db_ = make_script_database(s, *nodes_, options({{"mode", hostile_}}));
  const auto names = nodes_->names();
  ClientOptions co;
  co.workload = "register";
  co.timeout = 1500ms;
  auto client = db_->client(names[2], co);
  Operation op;
  op.process = 5;
  op.f = "read";
  op.key = 1;
  Operation done = client->invoke(op);
  ASSERT_EQ(done.type, OpType::kOk) << (done.error ? boost::json::serialize(*done.error) : "");
  EXPECT_EQ(done.value, boost::json::value(names[2] + " 2 register 5 1500"));
  EXPECT_EQ(slurp(root_ / "client-mode-5"), hostile_);
  co.workload = "bank";
  EXPECT_THROW(db_->client(names[0], co), DatabaseError);

  s.client_command = {"./no-such-client.py"};
  EXPECT_THROW(check_client_startable(s), DatabaseError);
}

TEST_F(ScriptStoreTest, UndeclaredSettingsAndValuesAreRefusedAndDefaultsAreTheFirstValue) {
  EXPECT_THROW(make_script_database(store(), *nodes_, options({{"colour", "red"}})), DatabaseError);
  EXPECT_THROW(make_script_database(store(), *nodes_, options({{"mode", "sync"}})), DatabaseError);
  ScriptStore s = store();
  s.pid_file = "/var/run/${FAULTLINE_NOPE}.pid";
  EXPECT_THROW(make_script_database(s, *nodes_, options()), DatabaseError);

  ScriptDatabase db(store(), *nodes_, options());
  EXPECT_EQ(db.settings().at("mode"), "plain");
}

TEST_F(ScriptStoreTest, AStoreThatNeverTurnsHealthyFailsSetupNamingTheNode) {
  ScriptStore s = store();
  s.healthy =
      R"([ "$FAULTLINE_INDEX" != 1 ] || { echo "n$FAULTLINE_INDEX is sulking" >&2; exit 1; })";
  s.healthy_timeout = 2s;
  std::vector<std::string> lines;
  DatabaseOptions o = options();
  o.log = [&lines](const std::string& line) { lines.push_back(line); };
  db_ = make_script_database(s, *nodes_, o);
  EXPECT_THROW(db_->setup(), DatabaseError);
  bool named = false;
  for (const auto& line : lines) named |= line.find("sulking") != std::string::npos;
  EXPECT_TRUE(named) << "the last health problem is logged";
  db_->teardown();
}

TEST_F(ScriptStoreTest, AStartThatLeavesItsProcessHoldingStdoutStillReturns) {
  // A naive start: the background process inherits the command's stdout and stderr.
  ScriptStore s = store();
  s.start =
      "d=" + root_.string() + "/$FAULTLINE_NODE; " +
      R"sh(mkdir -p "$d"; touch "$d/ready"; sleep 100000 & echo $! >"$d/pid"; echo started)sh";
  db_ = make_script_database(s, *nodes_, options());
  const auto begin = std::chrono::steady_clock::now();
  db_->setup();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 10s);
  EXPECT_TRUE(db_->wait_healthy(1s));
  db_->teardown();
}

}  // namespace
}  // namespace faultline::adapters
