#pragma once
// The final phase of a workload: what it asks of the nodes once the faults are healed and the
// cluster has recovered (or the recovery timeout passed). Workload::final_phase runs it;
// FinalPhaseContext is the controller's side of it: the nodes, a client per node, the recorder
// and the history recorded so far. Everything it records carries "final": true on the
// invocation, so checkers can tell final reads from the clients' operations.
//
// Two kinds of final reads exist:
//   kDurable  what survived: linearizable reads with a generous timeout (set, bank, counter's
//             one whole-state read per node, Workload::final_ops)
//   kAsRun    the run's own client options, so a mode that reads locally shows how its nodes
//             catch up (the register's convergence reads, convergence_reads.h)

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "checker/history/history.h"

namespace faultline {

enum class FinalReads { kDurable, kAsRun };

// A database client on one node, as a workload sees it (the controller wraps the adapter's).
// Used by one thread.
class NodeClient {
 public:
  virtual ~NodeClient() = default;
  // Performs the invocation and returns its completion (ok, fail or info); never throws for
  // the database's or the network's trouble.
  virtual Operation invoke(const Operation& op) = 0;
};

struct FinalPhaseContext {
  std::vector<std::string> nodes;
  // Process ids of final operations start here, far above any client worker's.
  std::int64_t first_process = 0;
  // Convergence reads stop this long after their first round.
  std::chrono::milliseconds convergence_timeout{30'000};
  // A client for `node`; throws when none can be made. Thread-safe.
  std::function<std::unique_ptr<NodeClient>(const std::string& node, FinalReads reads)> client_for;
  // The run's recorder (HistoryRecorder::invoke / complete): set index and time. Thread-safe.
  std::function<void(Operation& invocation)> record_invoke;
  std::function<void(Operation& completion)> record_complete;
  // The history recorded so far (every completed operation).
  std::function<History()> history_so_far;
  // A line for the run's log. Thread-safe.
  std::function<void(const std::string&)> log;
};

// Runs `op` on `node` until ok: at most `attempts` attempts one second apart, each a fresh
// process (next_process, counted up) with a fresh client of kind `reads`; each attempt that
// does not end ok is logged. Returns whether one did. (The controller runs the workloads'
// setup operations with it too.)
bool run_until_ok(FinalPhaseContext& context, const Operation& op, const std::string& node,
                  std::int64_t& next_process, int attempts, FinalReads reads);

// Each of `ops` on every node, in that order, until ok: at most `attempts` attempts one second
// apart, each a fresh process (counting up from context.first_process) with a fresh kDurable
// client. A node that never answers ok is logged ("final read on n2 never succeeded"), not thrown.
void run_on_every_node_until_ok(FinalPhaseContext& context, const std::vector<Operation>& ops,
                                int attempts);

}  // namespace faultline
