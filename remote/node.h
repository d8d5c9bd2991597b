#pragma once
// A node: a machine (or a network namespace of the local cluster) reached over SSH.
// Names are short identifiers (n1, db-2) used in messages, history values and file names;
// they are validated and never interpolated into a shell line.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::remote {

struct Node {
  std::string name;  // [A-Za-z0-9][A-Za-z0-9._-]{0,62}
  std::string host;  // address or DNS name
  int port = 22;
  std::string user = "root";
  std::string key_file;          // private key; empty: ssh-agent, then ~/.ssh/id_* (libssh auto)
  std::string known_hosts;       // empty: ~/.ssh/known_hosts
  bool strict_host_keys = true;  // false only on explicit opt-out (--no-strict-host-keys)
  bool sudo = false;             // run every command through sudo (see SudoPolicy)
  std::optional<std::string> sudo_password;  // never written to a nodes file

  // Local cluster only: the node is a network namespace on the controller's own kernel
  // (same clock, same filesystem except a private /tmp). Faults that would change the
  // kernel (e.g. the system clock) must refuse such nodes.
  bool local = false;
  std::string netns;    // the namespace's name (`ip netns`), when local
  std::string cluster;  // the local cluster's name, when local
};

// True when `name` is a valid node name.
bool is_valid_node_name(std::string_view name);

// Throws ConfigError("invalid node name '...': ...") unless is_valid_node_name(name).
void validate_node_name(std::string_view name);

// Checks every node (name, host, port, user) and that names are unique; throws ConfigError.
void validate_nodes(const std::vector<Node>& nodes);

}  // namespace faultline::remote
