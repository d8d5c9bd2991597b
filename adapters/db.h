#pragma once
// Database: one database system on the run's nodes, as faultline drives it. An adapter
// (adapters/<db>/) knows how to install, configure, start, stop and wipe its database over
// SSH, where its processes and logs live (for the nemesis and the run's store), which nodes
// lead, and how to talk to it: Client performs history operations against one node.
//
// Operations use the history's vocabulary (workloads/workload.h lists it per workload); a
// client is made for one workload and one node, and is used by one thread.
//
// Outcome rules every Client follows (Jepsen's):
//   ok    the database acknowledged the operation;
//   fail  it certainly did not take effect: a definite refusal (a compare that failed, a
//         connection that was never made), or any read that did not complete;
//   info  it may or may not have taken effect (a write whose request timed out or whose
//         connection broke): the caller retires the process.

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "checker/history/operation.h"
#include "remote/command.h"
#include "remote/node.h"
#include "remote/node_set.h"

namespace faultline::adapters {

// A line for the run's log (faultline.log). Must be thread-safe.
using Logger = std::function<void(const std::string&)>;
// Writes a nemesis-like operation (type info) into the run's history. Must be thread-safe.
using HistoryRecord = std::function<void(Operation)>;

// The database cannot be set up, did not become healthy, or does not support a request.
class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ClientOptions {
  std::string workload;                      // "register", "set", "bank", "list-append", ...
  bool linearizable_reads = true;            // false: reads may be served locally (possibly stale)
  std::chrono::milliseconds timeout{2'000};  // per request
};

class Client {
 public:
  virtual ~Client() = default;
  // Performs the invocation `op` (f, key, value) and returns its completion: type ok, fail
  // or info, the result value, and `error` saying why when not ok. Never throws for the
  // database's or the network's trouble (that is an outcome); throws std::invalid_argument
  // for an operation the workload does not have.
  virtual Operation invoke(const Operation& op) = 0;
};

// How the nemesis finds the database's processes on a node (see nemesis/process_control.h;
// the controller bridges the two layers).
struct ProcessLocation {
  std::string pid_file;      // on the node
  std::string process_name;  // exact process name (comm)
};

struct DatabaseOptions {
  std::string run_id = "faultline";  // distinguishes clusters (etcd's initial-cluster-token)
  bool install_if_missing = true;    // apt-get install the package on nodes that lack it
  std::chrono::milliseconds healthy_timeout{10'000};
  Logger log;  // optional
  // Adapter knobs by name, e.g. redis "read-from" = "replica", "wait" = "1"; the command
  // line validates them (controller/cmd_compare.cpp) before anything runs.
  std::map<std::string, std::string> settings;
  // The environment (name, value) that runs a program under libfaketime with `node`'s clock
  // control file (nemesis/faketime.h; the controller bridges the layers). Adapters that honour
  // it start their database processes under it; unset: they start them plainly.
  std::function<std::vector<std::pair<std::string, std::string>>(const remote::Node&)>
      faketime_environment;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual std::string name() const = 0;

  // Installs if missing, wipes anything left by an earlier run, starts the database on every
  // node and waits until the cluster is healthy. Throws RemoteError or DatabaseError.
  virtual void setup() = 0;
  // Stops the database on every node and deletes its data and logs. Idempotent.
  virtual void teardown() = 0;
  // True once every node answers and agrees on a leader (or the db's equivalent), within
  // `timeout`.
  virtual bool wait_healthy(std::chrono::milliseconds timeout) = 0;

  // Process control on one node (also used by the nemesis through process_location and
  // start_command).
  virtual void start(const std::string& node) = 0;
  virtual void kill(const std::string& node) = 0;    // SIGKILL
  virtual void pause(const std::string& node) = 0;   // SIGSTOP
  virtual void resume(const std::string& node) = 0;  // SIGCONT
  virtual void restart(const std::string& node) {
    kill(node);
    start(node);
  }
  virtual ProcessLocation process_location(const remote::Node& node) const = 0;
  // The command that starts the database on `node` (idempotent: no-op if running).
  virtual remote::Command start_command(const remote::Node& node) const = 0;
  // The command that brings the database back after its process was killed: like
  // start_command, but first waits for the killed process to be gone (the nemesis' restart).
  // The default suits databases whose start command copes with a dying process.
  virtual remote::Command restart_command(const remote::Node& node) const {
    return start_command(node);
  }
  // False when its processes ignore libfaketime (then clock faults need the system clock).
  virtual bool honours_faketime() const = 0;
  // Why not, for messages.
  virtual std::string faketime_note() const { return {}; }

  // The nodes that currently lead (usually one; more during a partition). Never throws:
  // nodes that do not answer are left out.
  virtual std::vector<std::string> primaries() = 0;
  // Copies each node's logs into dir/<node>/. Nodes that fail are reported, not thrown.
  virtual void download_logs(const std::filesystem::path& dir) = 0;
  // The database's version as installed on the first node ("3.4.23").
  virtual std::string version() = 0;
  // The run's history, for adapters that watch the database while the clients run and
  // record what they see or do (MariaDB: a semi-sync fallback, a failover): attached once
  // the setup operations are done, detached (an empty function) before the history closes.
  // Default: nothing is watched.
  virtual void attach_history(HistoryRecord record) { (void)record; }

  virtual std::unique_ptr<Client> client(const std::string& node, const ClientOptions& options) = 0;
  // Workloads this adapter implements.
  virtual std::vector<std::string> workloads() const = 0;
};

// The built-in stores by name (their descriptors: adapters/store.h).
// Database names make_database accepts.
std::vector<std::string> database_names();
// The transactional consistency model (checker/txn's names) that database `name` promises
// with `settings`, e.g. postgres isolation=repeatable-read -> "snapshot-isolation"; empty
// when it promises none (or has no transactions).
std::string promised_consistency_model(const std::string& name,
                                       const std::map<std::string, std::string>& settings);
// Throws std::invalid_argument for an unknown name. `nodes` must outlive the result.
std::unique_ptr<Database> make_database(const std::string& name, remote::NodeSet& nodes,
                                        const DatabaseOptions& options);

}  // namespace faultline::adapters
