#pragma once
// The local cluster: N "machines" on this one, for CI and demos without VMs or Docker.
// Node i is a network namespace `fl-<name>-n<i>` whose veth (`eth0` inside) plugs into a bridge
// in the root namespace; the cluster owns a private /24 (10.77.X.0/24, X derived from the name,
// moved on if that subnet is already routed here): node i is 10.77.X.i, the bridge 10.77.X.254.
// Each node runs its own sshd (Debian's openssh-server) with its own host key, under its own
// UTS and mount namespace: hostname n<i>, a private /tmp, and root's ~/.bashrc hidden (it can
// cost 0.26 s per command). faultline's ed25519 key pair, the known_hosts file, sshd configs,
// pid files and nodes.json live in the cluster's directory.
//
// Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN). Clusters with different names coexist.

#include <filesystem>
#include <string>
#include <vector>

#include "remote/nodes_file.h"

namespace faultline::remote {

struct LocalClusterSpec {
  std::string name = "faultline";  // [a-z0-9][a-z0-9-]{0,31}
  int nodes = 5;                   // 1..50
  std::filesystem::path dir;       // empty: default_cluster_dir(name); never under /tmp
};

// /var/lib/faultline/clusters/<name> when writable (root), else ~/.faultline/clusters/<name>.
std::filesystem::path default_cluster_dir(const std::string& name);

// Throws ConfigError unless `name` is a valid cluster name.
void validate_cluster_name(const std::string& name);

// Brings the cluster up and returns its nodes file (also written to <dir>/nodes.json). If a
// cluster of that name exists it is taken down first. On failure everything made so far is
// removed before the error is thrown.
NodesFile cluster_up(const LocalClusterSpec& spec);

// Stops every process in the cluster's namespaces (sshd and anything started over SSH),
// deletes the namespaces, veths, bridge and the state directory. Idempotent; works on a
// half-made cluster. `dir` empty: default_cluster_dir(name).
void cluster_down(const std::string& name, const std::filesystem::path& dir = {});

struct NodeStatus {
  std::string name, netns, address;
  bool namespace_exists = false;
  bool sshd_running = false;
  int sshd_pid = 0;
  int processes = 0;  // processes in the namespace (sshd included)
};

struct ClusterStatus {
  std::string name;
  std::filesystem::path dir;
  bool exists = false;  // state directory or any namespace/bridge present
  bool bridge_exists = false;
  std::string subnet;
  std::vector<NodeStatus> nodes;
  bool healthy() const;  // exists, bridge up, every node's namespace and sshd present
};

ClusterStatus cluster_status(const std::string& name, const std::filesystem::path& dir = {});

// A cluster for the lifetime of an object (tests, benchmarks): up in the constructor, down in
// the destructor, whatever happened in between.
class ScopedLocalCluster {
 public:
  explicit ScopedLocalCluster(const LocalClusterSpec& spec)
      : spec_(spec), file_(cluster_up(spec)) {}
  ~ScopedLocalCluster() {
    try {
      cluster_down(spec_.name, spec_.dir);
    } catch (...) {
      // A destructor cannot report; `faultline cluster down --name` can be run again.
    }
  }
  ScopedLocalCluster(const ScopedLocalCluster&) = delete;
  ScopedLocalCluster& operator=(const ScopedLocalCluster&) = delete;

  const std::string& name() const { return spec_.name; }
  const NodesFile& nodes_file() const { return file_; }
  const std::vector<Node>& nodes() const { return file_.nodes; }

 private:
  LocalClusterSpec spec_;
  NodesFile file_;
};

// The names of the network devices and namespaces a cluster uses (for tests and `down`).
std::string cluster_bridge_name(const std::string& name);
std::string cluster_veth_name(const std::string& name, int index);
std::string cluster_netns_name(const std::string& name, int index);

}  // namespace faultline::remote
