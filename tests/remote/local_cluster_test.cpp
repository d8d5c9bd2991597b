// The local cluster: up, status and down, through the library and the command line.

#include "tests/support/local_cluster.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>

#include "remote/errors.h"
#include "remote/local_exec.h"
#include "remote/node_set.h"

namespace faultline::remote {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

bool namespace_exists(const std::string& netns) {
  return fs::exists("/run/netns/" + netns);
}
bool device_exists(const std::string& device) {
  return fs::exists("/sys/class/net/" + device);
}

// A live process (a zombie waiting for its parent counts as dead).
bool alive(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return false;
  auto close = stat.rfind(')');
  return close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] != 'Z';
}

// Any process whose command line mentions the cluster's directory (its sshds).
int processes_mentioning(const std::string& text) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline;
    std::getline(in, cmdline, '\n');
    if (cmdline.find(text) != std::string::npos) ++count;
  }
  return count;
}

// Whatever a test made with the command line, it is removed at the end.
struct DownAtExit {
  std::string name;
  ~DownAtExit() {
    try {
      cluster_down(name);
    } catch (...) {
    }
  }
};

LocalResult faultline(const std::vector<std::string>& args) {
  std::vector<std::string> argv{FAULTLINE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_local(argv, {"", 60s});
}

TEST(LocalCluster, NodesHaveTheirNamesAddressesAndKeys) {
  ScopedLocalCluster cluster({testing::unique_cluster_name("up"), 3, {}});
  const NodesFile& file = cluster.nodes_file();
  ASSERT_EQ(file.nodes.size(), 3u);
  EXPECT_TRUE(file.local);
  EXPECT_EQ(file.cluster, cluster.name());
  NodesFile on_disk = read_nodes_file(fs::path(file.dir) / "nodes.json");
  ASSERT_EQ(on_disk.nodes.size(), 3u);
  NodeSet nodes(on_disk.nodes);
  NodeResults results = nodes.run_all(Command{"sh", "-c", "hostname; ip -4 -o addr show"});
  for (int i = 1; i <= 3; ++i) {
    const Node& node = nodes.node("n" + std::to_string(i));
    EXPECT_TRUE(node.local);
    EXPECT_EQ(node.netns, cluster_netns_name(cluster.name(), i));
    const std::string& out = results[node.name].out;
    EXPECT_EQ(out.substr(0, out.find('\n')), node.name);
    EXPECT_NE(out.find("inet " + node.host + "/24"), std::string::npos) << out;
  }
  // Nodes reach each other (and only through their own bridge: the subnet is the cluster's).
  EXPECT_TRUE(nodes.session("n1").exec(Command{"ping", "-c1", "-W1", nodes.node("n3").host}).ok());
  ClusterStatus status = cluster_status(cluster.name());
  EXPECT_TRUE(status.healthy());
  EXPECT_EQ(status.nodes.size(), 3u);
  EXPECT_EQ(status.subnet, file.subnet);

  // A second cluster coexists, on another subnet, with the same node names.
  ScopedLocalCluster other({testing::unique_cluster_name("up2"), 1, {}});
  EXPECT_NE(other.nodes_file().subnet, file.subnet);
  NodeSet other_nodes(other.nodes());
  EXPECT_EQ(other_nodes.session("n1").run(Command{"hostname"}).out, "n1\n");
  EXPECT_TRUE(cluster_status(cluster.name()).healthy());
}

TEST(LocalCluster, DownLeavesNothingBehindAndIsIdempotent) {
  const std::string name = testing::unique_cluster_name("down");
  DownAtExit guard{name};
  NodesFile file = cluster_up({name, 2, {}});
  {
    NodeSet nodes(file.nodes);
    // A process left running in a node, as a database would be.
    nodes.session("n1").run(
        Command{"sh", "-c", "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!"});
  }
  std::vector<int> pids;
  for (int i = 1; i <= 2; ++i) {
    LocalResult out = run_local({"ip", "netns", "pids", cluster_netns_name(name, i)});
    std::istringstream in(out.out);
    for (int pid; in >> pid;) pids.push_back(pid);
  }
  ASSERT_GE(pids.size(), 3u);  // two sshds and the sleep
  cluster_down(name);
  for (int i = 1; i <= 2; ++i) {
    EXPECT_FALSE(namespace_exists(cluster_netns_name(name, i)));
    EXPECT_FALSE(device_exists(cluster_veth_name(name, i)));
  }
  EXPECT_FALSE(device_exists(cluster_bridge_name(name)));
  for (int pid : pids) EXPECT_FALSE(alive(pid)) << "pid " << pid << " survived";
  EXPECT_EQ(processes_mentioning(file.dir), 0);
  EXPECT_FALSE(fs::exists(file.dir));
  EXPECT_FALSE(cluster_status(name).exists);
  EXPECT_NO_THROW(cluster_down(name));
}

TEST(LocalCluster, DownRemovesAHalfMadeCluster) {
  const std::string name = testing::unique_cluster_name("half");
  DownAtExit guard{name};
  // What an `up` killed half-way could leave: a namespace, a veth not yet moved, a state dir.
  check_local({"ip", "netns", "add", cluster_netns_name(name, 1)});
  check_local({"ip", "link", "add", cluster_veth_name(name, 2), "type", "veth", "peer", "name",
               cluster_veth_name(name, 2) + "x"});
  fs::path dir = default_cluster_dir(name);
  fs::create_directories(dir / "nodes" / "n1");
  std::ofstream(dir / "id_ed25519") << "x";
  EXPECT_TRUE(cluster_status(name).exists);
  EXPECT_FALSE(cluster_status(name).healthy());
  cluster_down(name);
  EXPECT_FALSE(namespace_exists(cluster_netns_name(name, 1)));
  EXPECT_FALSE(device_exists(cluster_veth_name(name, 2)));
  EXPECT_FALSE(fs::exists(dir));
}

TEST(LocalCluster, CommandLineUpStatusBenchDown) {
  const std::string name = testing::unique_cluster_name("cli");
  DownAtExit guard{name};
  LocalResult up = faultline({"cluster", "up", "--nodes", "2", "--name", name});
  ASSERT_EQ(up.exit_status, 0) << up.err;
  EXPECT_NE(up.out.find("2 nodes up"), std::string::npos) << up.out;
  LocalResult status = faultline({"cluster", "status", "--name", name});
  EXPECT_EQ(status.exit_status, 0) << status.out << status.err;
  EXPECT_NE(status.out.find(": up"), std::string::npos) << status.out;
  LocalResult bench = faultline({"cluster", "bench", "--name", name, "--rounds", "5"});
  EXPECT_EQ(bench.exit_status, 0) << bench.err;
  EXPECT_NE(bench.out.find("median"), std::string::npos) << bench.out;

  // A node whose sshd died: status says so (exit 69) and commands needing it exit 69 naming it.
  NodesFile file = read_nodes_file(default_cluster_dir(name) / "nodes.json");
  ClusterStatus before = cluster_status(name);
  ASSERT_EQ(before.nodes.size(), 2u);
  ::kill(before.nodes[1].sshd_pid, SIGKILL);
  std::this_thread::sleep_for(100ms);
  status = faultline({"cluster", "status", "--name", name});
  EXPECT_EQ(status.exit_status, 69);
  EXPECT_NE(status.out.find("DEGRADED"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("sshd DOWN"), std::string::npos) << status.out;
  bench = faultline({"cluster", "bench", "--name", name, "--rounds", "1"});
  EXPECT_EQ(bench.exit_status, 69);
  EXPECT_NE(bench.err.find("node n2"), std::string::npos) << bench.err;

  LocalResult down = faultline({"cluster", "down", "--name", name});
  EXPECT_EQ(down.exit_status, 0) << down.err;
  status = faultline({"cluster", "status", "--name", name});
  EXPECT_EQ(status.exit_status, 69);
  EXPECT_NE(status.out.find("not running"), std::string::npos) << status.out;
  EXPECT_EQ(faultline({"cluster", "down", "--name", name}).exit_status, 0);
  LocalResult bad = faultline({"cluster", "up", "--name", "Bad;name"});
  EXPECT_EQ(bad.exit_status, 64);
  EXPECT_NE(bad.err.find("invalid cluster name"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace faultline::remote
