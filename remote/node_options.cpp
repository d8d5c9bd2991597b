#include "remote/node_options.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "remote/errors.h"
#include "remote/local_cluster.h"

namespace faultline::remote {

void add_node_options(CLI::App& command, NodeOptions& options) {
  auto* nodes = command.add_option("--nodes", options.nodes,
                                   "Comma-separated hosts (or name=host) to reach over SSH; "
                                   "default: the local cluster's nodes");
  auto* file = command.add_option("--nodes-file", options.nodes_file,
                                  "Nodes file (JSON, as written by `faultline cluster up`)");
  nodes->excludes(file);
  command
      .add_option("--cluster", options.cluster,
                  "Local cluster whose nodes to use when neither --nodes nor --nodes-file "
                  "is given")
      ->capture_default_str();
  command.add_option("--ssh-user", options.ssh_user, "SSH user (default root)");
  command.add_option("--ssh-key", options.ssh_key,
                     "Private key file (default: ssh-agent, then ~/.ssh/id_*)");
  command.add_option("--ssh-port", options.ssh_port, "SSH port (default 22)")
      ->check(CLI::Range(1, 65535));
  command.add_option("--known-hosts", options.known_hosts,
                     "known_hosts file to check host keys against (default ~/.ssh/known_hosts)");
  command.add_flag("--no-strict-host-keys", options.no_strict_host_keys,
                   "Do not check host keys (unsafe: accepts any machine answering)");
  command.add_flag("--sudo", options.sudo, "Run every command on the nodes through sudo");
  command.add_flag("--sudo-password-stdin", options.sudo_password_stdin,
                   "Read the sudo password from the first line of stdin");
}

NodesFile resolve_nodes(const NodeOptions& options) {
  NodesFile file;
  if (!options.nodes.empty()) {
    int index = 0;
    std::size_t pos = 0;
    while (pos <= options.nodes.size()) {
      std::size_t end = options.nodes.find(',', pos);
      if (end == std::string::npos) end = options.nodes.size();
      std::string entry = options.nodes.substr(pos, end - pos);
      pos = end + 1;
      ++index;
      if (entry.empty())
        throw ConfigError("--nodes: empty entry at position " + std::to_string(index));
      Node node;
      std::size_t equals = entry.find('=');
      node.name =
          equals == std::string::npos ? "n" + std::to_string(index) : entry.substr(0, equals);
      node.host = equals == std::string::npos ? entry : entry.substr(equals + 1);
      file.nodes.push_back(node);
    }
  } else {
    std::filesystem::path path = options.nodes_file;
    if (path.empty()) {
      validate_cluster_name(options.cluster);
      path = default_cluster_dir(options.cluster) / "nodes.json";
      if (!std::filesystem::exists(path)) {
        throw ConfigError("no nodes given and no local cluster '" + options.cluster + "' (" +
                          path.string() +
                          " is missing): run `faultline cluster up` or pass --nodes/--nodes-file");
      }
    }
    file = read_nodes_file(path);
  }
  std::optional<std::string> password;
  if (options.sudo_password_stdin) {
    if (!options.sudo) throw ConfigError("--sudo-password-stdin needs --sudo");
    std::string line;
    if (!std::getline(std::cin, line)) throw ConfigError("--sudo-password-stdin: stdin is empty");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    password = line;
  }
  for (Node& node : file.nodes) {
    if (!options.ssh_user.empty()) node.user = options.ssh_user;
    if (!options.ssh_key.empty()) node.key_file = options.ssh_key;
    if (options.ssh_port != 0) node.port = options.ssh_port;
    if (!options.known_hosts.empty()) node.known_hosts = options.known_hosts;
    if (options.no_strict_host_keys) node.strict_host_keys = false;
    if (options.sudo) node.sudo = true;
    if (password) node.sudo_password = password;
  }
  validate_nodes(file.nodes);
  return file;
}

}  // namespace faultline::remote
