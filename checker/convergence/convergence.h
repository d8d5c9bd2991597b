#pragma once
// Convergence: after the faults heal, do all nodes come to hold the same state, one that the
// writes explain, without losing acknowledged writes? (eventual consistency, judged on the
// final reads.)
//
// Input: the final reads (is_final_op: invocations with "final": true, or f "final-read") of
// a history, each an ok read on one node (op.node) of one key (op.key; absent = one object).
// A node may be read repeatedly; its reads are taken in history order. Shapes:
//   register  writes `write v` / `cas [old new]`; a read returns one value;
//   set       writes `add e`; a read returns the array of elements (compared as a set).
// The shape is the set when the history has `add` operations, a counter when those come with
// integer reads (then only agreement and its time are judged here).
//
// Per key, with H the time of the last heal (checker/perf/fault_windows.h; the first final
// read's invocation when nothing healed):
//   converged       every node's last final read returned the same state S;
//   convergence_ms  (completion of the first read of the run of S-reads that ends each node's
//                   reads, on the last node to reach S) - H, at least 0. An upper bound: nodes
//                   may have agreed before they were read;
//   timed out       converged, but later than `timeout` after H;
//   unexpected      S holds a value no write (ok or unknown outcome) could have produced;
//   lost            acknowledged writes S does not reflect: set: ok adds absent from S;
//                   register: ok writes/cas invoked after S's value was known installed
//                   (they follow it in every linearization, so S should have been replaced).
// Verdict: invalid when any key diverged, timed out, holds unexpected values or lost
// acknowledged writes; unknown when there are no final reads; valid otherwise.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/history/history.h"
#include "checker/result.h"

namespace faultline {

struct ConvergenceOptions {
  double timeout_s = 30;
  std::size_t max_examples = 10;
};

struct KeyConvergence {
  std::string key;  // JSON text; "null" when absent
  bool converged = false;
  std::optional<double> convergence_ms;  // when converged
  std::string state;                     // the agreed state (JSON text), when converged
  std::size_t nodes = 0;                 // nodes with a final read
  std::vector<std::string> lost;         // acknowledged writes' values (JSON text)
  std::vector<std::string> unexpected;   // values in the state no write produced
  std::string problem;                   // "" or why this key fails
};

struct ConvergenceResult {
  Verdict verdict = Verdict::kUnknown;
  std::string shape;  // "register", "set" or "counter"
  std::vector<KeyConvergence> keys;
  std::size_t final_reads = 0;
  std::size_t diverged = 0, timed_out = 0, lost = 0, unexpected = 0;
  std::optional<double> max_convergence_ms;  // over converged keys
  double timeout_s = 0;

  // {"checker": "convergence", "verdict", "shape", "final_reads", "keys", "diverged",
  //  "timed_out", "lost", "unexpected", "convergence_ms" (max, or null), "problems": [...]}
  boost::json::object to_json(std::size_t max_examples = 10) const;
  std::string summary() const;
};

// Throws InputError (file:line) for a set read whose value is not an array, or a cas whose
// value is not [old, new].
ConvergenceResult check_convergence(const History& history, const ConvergenceOptions& options = {});

}  // namespace faultline
