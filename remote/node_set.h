#pragma once
// NodeSet: the nodes of a run and one SshSession per node, created on first use and reused
// until the set is destroyed. The *_all / *_on / *_each calls run one thread per node, so a
// command on five nodes takes about as long as on one.
//
// Failures: a node that cannot be reached or whose command fails does not stop the others;
// once all have finished, the call throws one error naming every node that failed
// (NodeUnreachable if all failures were unreachable nodes, RemoteError otherwise).

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "remote/command.h"
#include "remote/node.h"
#include "remote/session.h"

namespace faultline::remote {

// Results keyed by node name.
using NodeResults = std::map<std::string, CommandResult>;

class NodeSet {
 public:
  // Validates the nodes (names, uniqueness); throws ConfigError.
  explicit NodeSet(std::vector<Node> nodes, SessionOptions options = {});
  ~NodeSet();
  NodeSet(const NodeSet&) = delete;
  NodeSet& operator=(const NodeSet&) = delete;

  const std::vector<Node>& nodes() const { return nodes_; }
  std::vector<std::string> names() const;
  const Node& node(const std::string& name) const;  // throws ConfigError if unknown
  // The node's session (not yet connected until first used).
  SshSession& session(const std::string& name);

  // Connects every node in parallel.
  void connect_all();

  // exec on the given nodes in parallel: results whatever the exit status.
  NodeResults exec_on(const std::vector<std::string>& names, const Command& command);
  NodeResults exec_all(const Command& command) { return exec_on(names(), command); }

  // As exec_*, but also a non-zero exit status on any node is an error (thrown once all ended).
  NodeResults run_on(const std::vector<std::string>& names, const Command& command);
  NodeResults run_all(const Command& command) { return run_on(names(), command); }

  // A different command per node (e.g. the partition rules of each node); `make` is called on
  // the calling thread for each node first. Exit status checked when `check` is true.
  NodeResults run_each(const std::vector<std::string>& names,
                       const std::function<Command(const Node&)>& make, bool check = true);

  // Any work on each node's session, in parallel (one thread per node); errors gathered as above.
  void for_each(const std::vector<std::string>& names,
                const std::function<void(SshSession&)>& work);

 private:
  std::vector<Node> nodes_;
  SessionOptions options_;
  std::map<std::string, std::unique_ptr<SshSession>> sessions_;
};

}  // namespace faultline::remote
