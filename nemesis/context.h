#pragma once
// NemesisContext: what every fault needs to act and to report. It holds the run's nodes
// (one reused SSH session each), the recorder that receives each fault's history operation,
// the hooks a database adapter supplies (which nodes are primaries, how to find and restart
// its processes, whether its clocks can be skewed), and the instant the run's history counts
// time from.
//
// Each node keeps its nemesis state in state_dir(node): a marker file per active fault kind
// (`active/<kind>.json`) and the libfaketime control file (`faketime`). Markers are written
// on the node in the same command that applies a fault, so `faultline heal` can undo faults
// left behind by a controller that died.

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "checker/history/operation.h"
#include "nemesis/clock_support.h"
#include "nemesis/process_control.h"
#include "remote/node_set.h"

namespace faultline::nemesis {

// Receives every nemesis operation, in the order the faults happened. Called from the thread
// that applied the fault; the recorder assigns `index` if it keeps one.
using Recorder = std::function<void(Operation)>;

// What a database adapter tells the nemesis. Every member is optional.
struct NemesisHooks {
  // The nodes that currently act as primaries/leaders (for the `primaries` grudge and target).
  std::function<std::vector<std::string>()> primaries;
  // How to find, kill, pause and restart the database's processes (kill and pause faults).
  std::shared_ptr<const ProcessControl> processes;
  // Whether the database's processes can be clock-skewed, and how.
  ClockSkewDeclaration clock;
};

// The outcome of one command per node, run in parallel.
struct NodeOutcome {
  bool ok = false;
  std::string out;      // stdout of the command
  std::string problem;  // why it failed (exit status and stderr tail, or unreachable)
  std::int64_t effective_ns = kNoTime;  // when the command finished, ns since the origin
};
using NodeOutcomes = std::map<std::string, NodeOutcome>;

class NemesisContext {
 public:
  using Clock = std::chrono::steady_clock;

  NemesisContext(remote::NodeSet& nodes, Recorder recorder, NemesisHooks hooks = {},
                 Clock::time_point origin = Clock::now());

  remote::NodeSet& nodes() { return nodes_; }
  std::vector<std::string> names() const { return nodes_.names(); }
  const remote::Node& node(const std::string& name) const { return nodes_.node(name); }
  const NemesisHooks& hooks() const { return hooks_; }

  // The node's IPv4 address as its peers see it: the host if it is an address, else the
  // controller's resolution of it. Throws FaultFailed if it does not resolve.
  std::string address(const std::string& name);

  // Where the node keeps markers and the faketime control file. Local-cluster nodes share a
  // filesystem, so theirs is per cluster and node.
  static std::string state_dir(const remote::Node& node);

  // The current primaries from the hook; empty when no adapter said.
  std::vector<std::string> primaries() const;

  // ns since the origin.
  std::int64_t now_ns() const;

  // Runs make(node) on each named node in parallel (`sh -c SCRIPT sh ARGS...` commands, as root)
  // and reports every node's outcome; never throws for a node's failure.
  NodeOutcomes run_scripts(const std::vector<std::string>& names,
                           const std::function<remote::Command(const remote::Node&)>& make);

  // Builds and records an `info` operation of the nemesis: f, value, and extras
  // `effective` ({node: ns}) and, when some nodes failed, `error` naming them. Returns it.
  Operation record(const std::string& f, boost::json::value value, const NodeOutcomes& outcomes);

 private:
  remote::NodeSet& nodes_;
  Recorder recorder_;
  NemesisHooks hooks_;
  Clock::time_point origin_;
  std::mutex mutex_;
  std::map<std::string, std::string> addresses_;
};

// `sh -c script sh args...` as root, with a timeout suited to fault commands.
remote::Command shell_command(const std::string& script, std::vector<std::string> args,
                              std::chrono::milliseconds timeout = std::chrono::seconds(15));

// "n2: exited with status 1: ...; n4: unreachable" for the failed nodes; empty if none.
std::string describe_failures(const NodeOutcomes& outcomes);

// Names of the nodes whose outcome is ok / failed.
std::vector<std::string> succeeded(const NodeOutcomes& outcomes);

}  // namespace faultline::nemesis
