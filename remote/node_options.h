#pragma once
// The command-line options that say which nodes a command talks to, shared by every
// subcommand that reaches nodes (test, nemesis, heal, bench):
//   --nodes host1,host2 | --nodes-file F   (default: the local cluster's nodes.json)
//   --cluster NAME                         (which local cluster; default "faultline")
//   --ssh-user U --ssh-key K --ssh-port P --known-hosts F --no-strict-host-keys
//   --sudo [--sudo-password-stdin]
// With --nodes, node names are n1..nN in the given order unless written name=host.

#include <string>
#include <vector>

#include "remote/cli_fwd.h"
#include "remote/nodes_file.h"

namespace faultline::remote {

struct NodeOptions {
  std::string nodes;  // comma-separated hosts (or name=host)
  std::string nodes_file;
  std::string cluster = "faultline";
  std::string ssh_user;  // empty: file's value or "root"
  std::string ssh_key;
  int ssh_port = 0;  // 0: file's value or 22
  std::string known_hosts;
  bool no_strict_host_keys = false;
  bool sudo = false;
  bool sudo_password_stdin = false;
};

// Registers the options above on `command`, storing into `options` (which must outlive it).
void add_node_options(CLI::App& command, NodeOptions& options);

// The nodes to use. Reads the nodes file (given or the local cluster's), applies overrides,
// reads the sudo password from stdin if asked, validates. Throws ConfigError (e.g. a bad
// node name, or no nodes file and no --nodes: "run `faultline cluster up` or pass --nodes").
NodesFile resolve_nodes(const NodeOptions& options);

}  // namespace faultline::remote
