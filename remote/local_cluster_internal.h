#pragma once
// Helpers shared by the local cluster's up (local_cluster.cpp) and down/status
// (local_cluster_state.cpp). Not part of the remote/ interface.

#include <filesystem>
#include <string>
#include <vector>

namespace faultline::remote::detail {

inline constexpr const char* kNetnsDir = "/run/netns";
inline constexpr const char* kBridgeAliasPrefix = "faultline-cluster:";

// Indices i of existing namespaces named exactly cluster_netns_name(name, i).
std::vector<int> existing_node_namespaces(const std::string& name);

// The per-node directory inside the cluster's state directory.
std::filesystem::path node_dir(const std::filesystem::path& dir, int index);

// Pids of the processes in a network namespace (as `ip netns pids`).
std::vector<int> namespace_pids(const std::string& netns);

// The pid in a pid file, or 0.
int read_pid_file(const std::filesystem::path& path);

// Contents of a small file (sysfs, /proc), without trailing newline; empty if unreadable.
std::string read_small_file(const std::filesystem::path& path);

std::filesystem::path resolved_dir(const std::string& name, const std::filesystem::path& dir);

}  // namespace faultline::remote::detail
