// `cluster down` and `cluster status`: both work from what exists on the machine (namespaces,
// devices, pid files), not only from nodes.json, so that they handle a half-made cluster.

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "remote/errors.h"
#include "remote/local_cluster.h"
#include "remote/local_cluster_internal.h"
#include "remote/local_exec.h"

namespace faultline::remote {
namespace fs = std::filesystem;

namespace detail {

std::vector<int> existing_node_namespaces(const std::string& name) {
  std::vector<int> indices;
  const std::string prefix = "fl-" + name + "-n";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kNetnsDir, ec)) {
    std::string file = entry.path().filename().string();
    if (file.rfind(prefix, 0) != 0 || file.size() == prefix.size()) continue;
    std::string rest = file.substr(prefix.size());
    if (rest.find_first_not_of("0123456789") != std::string::npos || rest.size() > 4) continue;
    indices.push_back(std::stoi(rest));
  }
  std::sort(indices.begin(), indices.end());
  return indices;
}

fs::path node_dir(const fs::path& dir, int index) {
  return dir / "nodes" / ("n" + std::to_string(index));
}

std::vector<int> namespace_pids(const std::string& netns) {
  LocalResult result = run_local({"ip", "netns", "pids", netns}, {{}, std::chrono::seconds(10)});
  std::vector<int> pids;
  if (result.exit_status != 0) return pids;
  std::size_t pos = 0;
  while (pos < result.out.size()) {
    std::size_t end = result.out.find('\n', pos);
    if (end == std::string::npos) end = result.out.size();
    std::string line = result.out.substr(pos, end - pos);
    if (!line.empty() && line.find_first_not_of("0123456789") == std::string::npos) {
      pids.push_back(std::stoi(line));
    }
    pos = end + 1;
  }
  return pids;
}

std::string read_small_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text;
  if (!in) return text;
  std::getline(in, text, '\0');
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

int read_pid_file(const fs::path& path) {
  std::string text = read_small_file(path);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
      text.size() > 9) {
    return 0;
  }
  return std::stoi(text);
}

fs::path resolved_dir(const std::string& name, const fs::path& dir) {
  return dir.empty() ? default_cluster_dir(name) : dir;
}

}  // namespace detail

namespace {

bool device_exists(const std::string& device) {
  return fs::exists(fs::path("/sys/class/net") / device);
}

// True if the bridge exists and was made for this cluster (its alias names it).
bool own_bridge_exists(const std::string& name) {
  std::string bridge = cluster_bridge_name(name);
  if (!device_exists(bridge)) return false;
  return detail::read_small_file(fs::path("/sys/class/net") / bridge / "ifalias") ==
         detail::kBridgeAliasPrefix + name;
}

// The sshd of node `index`, if its pid file names a live sshd using this node's config.
int live_sshd(const fs::path& dir, int index) {
  fs::path node = detail::node_dir(dir, index);
  int pid = detail::read_pid_file(node / "sshd.pid");
  if (pid <= 0) return 0;
  std::string cmdline = detail::read_small_file("/proc/" + std::to_string(pid) + "/cmdline");
  return cmdline.find((node / "sshd_config").string()) != std::string::npos ? pid : 0;
}

// The kernel removes a namespace's veth pair asynchronously after the namespace is deleted:
// a device that vanished meanwhile is not an error.
void delete_device(const std::string& device) {
  LocalResult result = run_local({"ip", "link", "delete", device});
  if (result.exit_status != 0 && device_exists(device)) {
    throw std::runtime_error("cannot delete network device " + device + ": " + result.err);
  }
}

void kill_and_wait(const std::vector<int>& pids) {
  for (int pid : pids) ::kill(pid, SIGKILL);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (int pid : pids) {
    while (::kill(pid, 0) == 0 && std::chrono::steady_clock::now() < deadline) {
      // A zombie (our own child) still answers kill(0); its /proc status says Z.
      std::string stat = detail::read_small_file("/proc/" + std::to_string(pid) + "/stat");
      auto close = stat.rfind(')');
      if (close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'Z') break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

// The files `up` creates in the state directory (removed one by one: `down` must never
// delete a directory's unrelated contents, whatever --dir says).
void remove_state_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  for (const char* file : {"nodes.json", "id_ed25519", "id_ed25519.pub", "authorized_keys",
                           "known_hosts", "empty", "cluster.lock"}) {
    fs::remove(dir / file, ec);
  }
  for (const auto& entry : fs::directory_iterator(dir / "nodes", ec)) {
    std::string file = entry.path().filename().string();
    if (file.size() > 1 && file[0] == 'n' &&
        file.find_first_not_of("0123456789", 1) == std::string::npos) {
      fs::remove_all(entry.path(), ec);
    }
  }
  fs::remove(dir / "nodes", ec);
  fs::remove(dir, ec);  // only if now empty
}

}  // namespace

void cluster_down(const std::string& name, const fs::path& dir_option) {
  validate_cluster_name(name);
  const fs::path dir = detail::resolved_dir(name, dir_option);
  std::set<int> indices;
  for (int i : detail::existing_node_namespaces(name)) indices.insert(i);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir / "nodes", ec)) {
    std::string file = entry.path().filename().string();
    if (file.size() > 1 && file[0] == 'n' &&
        file.find_first_not_of("0123456789", 1) == std::string::npos && file.size() < 6) {
      indices.insert(std::stoi(file.substr(1)));
    }
  }
  // Host ends of veth pairs, whether or not their namespace was made.
  const std::string veth_prefix = cluster_veth_name(name, 0).substr(0, 11);  // "fl" hash 'v'
  for (const auto& entry : fs::directory_iterator("/sys/class/net", ec)) {
    std::string device = entry.path().filename().string();
    if (device.rfind(veth_prefix, 0) == 0 && device.size() > veth_prefix.size() &&
        device.size() <= veth_prefix.size() + 3 &&
        device.find_first_not_of("0123456789", veth_prefix.size()) == std::string::npos) {
      indices.insert(std::stoi(device.substr(veth_prefix.size())));
    }
  }
  // Processes first: a namespace deleted under a live process only loses its name.
  std::vector<int> pids;
  for (int i : indices) {
    std::string netns = cluster_netns_name(name, i);
    if (fs::exists(fs::path(detail::kNetnsDir) / netns)) {
      for (int pid : detail::namespace_pids(netns)) pids.push_back(pid);
    }
    if (int pid = live_sshd(dir, i)) pids.push_back(pid);
  }
  kill_and_wait(pids);
  for (int i : indices) {
    std::string netns = cluster_netns_name(name, i);
    if (fs::exists(fs::path(detail::kNetnsDir) / netns)) {
      check_local({"ip", "netns", "delete", netns});
    }
    // Deleting the namespace removes both ends of its veth; a pair that never reached the
    // namespace (up failed half-way) is removed here.
    std::string veth = cluster_veth_name(name, i);
    if (device_exists(veth)) delete_device(veth);
  }
  if (own_bridge_exists(name)) delete_device(cluster_bridge_name(name));
  remove_state_dir(dir);
  // Databases keep their nodes' files in /var/lib/faultline/<db>/<cluster>/<node> and delete
  // them on teardown; the cluster's folder goes with the cluster once it is empty.
  for (const auto& entry : fs::directory_iterator("/var/lib/faultline", ec)) {
    if (entry.is_directory(ec) && entry.path().filename() != "clusters") {
      fs::remove(entry.path() / name, ec);  // only if empty
    }
  }
  // Transient per-cluster state (the nemesis' faketime files) lives in
  // /run/faultline/<kind>/<cluster>.
  for (const auto& entry : fs::directory_iterator("/run/faultline", ec)) {
    if (entry.is_directory(ec)) fs::remove_all(entry.path() / name, ec);
  }
}

bool ClusterStatus::healthy() const {
  if (!exists || !bridge_exists || nodes.empty()) return false;
  for (const auto& node : nodes) {
    if (!node.namespace_exists || !node.sshd_running) return false;
  }
  return true;
}

ClusterStatus cluster_status(const std::string& name, const fs::path& dir_option) {
  validate_cluster_name(name);
  ClusterStatus status;
  status.name = name;
  status.dir = detail::resolved_dir(name, dir_option);
  status.bridge_exists = own_bridge_exists(name);
  std::set<int> indices;
  for (int i : detail::existing_node_namespaces(name)) indices.insert(i);
  std::vector<Node> file_nodes;
  if (fs::exists(status.dir / "nodes.json")) {
    try {
      NodesFile file = read_nodes_file(status.dir / "nodes.json");
      status.subnet = file.subnet;
      file_nodes = file.nodes;
      for (const auto& node : file.nodes) {
        if (node.name.size() > 1) indices.insert(std::stoi(node.name.substr(1)));
      }
    } catch (const std::exception&) {
      // A damaged nodes file: report what the machine shows.
    }
  }
  status.exists = status.bridge_exists || !indices.empty() || fs::exists(status.dir);
  for (int i : indices) {
    NodeStatus node;
    node.name = "n" + std::to_string(i);
    node.netns = cluster_netns_name(name, i);
    for (const auto& known : file_nodes) {
      if (known.name == node.name) node.address = known.host;
    }
    node.namespace_exists = fs::exists(fs::path(detail::kNetnsDir) / node.netns);
    std::vector<int> pids;
    if (node.namespace_exists) pids = detail::namespace_pids(node.netns);
    node.processes = static_cast<int>(pids.size());
    node.sshd_pid = live_sshd(status.dir, i);
    node.sshd_running =
        node.sshd_pid > 0 && std::find(pids.begin(), pids.end(), node.sshd_pid) != pids.end();
    status.nodes.push_back(node);
  }
  return status;
}

}  // namespace faultline::remote
