#pragma once
// Convergence reads, the register workload's final phase: after the final heal, every key a
// register run used is read from every node, round after round, until all nodes return the
// same value for it (then it is read no more) or the timeout passes. Every read is recorded as
// a final operation ("final": true on both records), so checker/convergence can say when each
// key converged, or that it did not. The reads use the run's own client options
// (FinalReads::kAsRun): a mode that reads locally (etcd serializable, Redis replicas) shows how
// its nodes catch up, which is the point.

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/history/history.h"
#include "workloads/final_phase.h"

namespace faultline {

struct ConvergenceReadPlan {
  std::vector<std::string> nodes;
  std::vector<boost::json::value> keys;
  std::chrono::milliseconds timeout{30'000};  // from the first round's start
  std::chrono::milliseconds pause{100};       // between rounds
  std::int64_t first_process = 0;  // node i's reads use processes first_process + i * 1e6 + k
};

struct ConvergenceReadOutcome {
  std::size_t rounds = 0, reads = 0, converged_keys = 0;
  bool timed_out = false;
  std::vector<std::string> errors;  // "node: why" for nodes no client could be made for
};

// The distinct keys of a history's register operations (read, write, cas), in order of first
// use; nemesis and final operations are skipped.
std::vector<boost::json::value> register_keys(const History& history);

// Reads until converged or timed out (see above), through `context`'s kAsRun clients and
// recorder: one client per node, used from a thread of its own. A read that ends `info`
// retires its process (its outcome is unknown), the next read on that node uses a fresh one.
ConvergenceReadOutcome read_until_converged(FinalPhaseContext& context,
                                            const ConvergenceReadPlan& plan);

// The whole phase: the keys of the history so far, read until converged within the context's
// timeout (processes from context.first_process + 1e8); the outcome goes to the log.
void run_convergence_reads(FinalPhaseContext& context);

}  // namespace faultline
