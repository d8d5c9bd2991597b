#pragma once
// The nodes file: which nodes a run talks to and how. Written by `faultline cluster up`
// (the local cluster's <dir>/nodes.json) or by hand for real machines; read by every command
// that takes --nodes-file (and, by default, the local cluster's file).
//
//   {"cluster": "faultline",            // local clusters only
//    "local": true,                     // nodes share the controller's kernel
//    "dir": "/var/lib/faultline/clusters/faultline",
//    "subnet": "10.77.12.0/24",
//    "nodes": [{"name": "n1", "host": "10.77.12.1", "port": 22, "user": "root",
//               "key": "/…/id_ed25519", "known_hosts": "/…/known_hosts",
//               "strict_host_keys": true, "local": true, "netns": "fl-faultline-n1"}]}
//
// Only "nodes" and each node's "name" and "host" are required; other node fields default as
// in Node (a node's "local" defaults to the file's). Sudo passwords are never stored.

#include <filesystem>
#include <string>
#include <vector>

#include "remote/node.h"

namespace faultline::remote {

struct NodesFile {
  std::vector<Node> nodes;
  bool local = false;   // a local namespace cluster
  std::string cluster;  // its name (local clusters)
  std::string dir;      // its state directory (local clusters)
  std::string subnet;   // its /24 (local clusters)
};

// Throws ConfigError("FILE: problem") when the file is missing, not JSON, or a node is invalid.
NodesFile read_nodes_file(const std::filesystem::path& path);
NodesFile parse_nodes_file(const std::string& text, const std::string& origin);

// Writes atomically (temporary file, then rename), mode 0644.
void write_nodes_file(const NodesFile& file, const std::filesystem::path& path);
std::string format_nodes_file(const NodesFile& file);

}  // namespace faultline::remote
