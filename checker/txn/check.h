#pragma once
// check_transactions: which isolation anomalies does a transactional history show, and
// which consistency models does it therefore violate?
//
// The pipeline (Elle's, Kingsbury & Alvaro 2020): compile the txn operations
// (txn_history.h), infer version orders and direct dependencies key by key in parallel
// (dependencies.h), add process and real-time order (graph.h), find the strongly
// connected components, and search each cyclic component in parallel for the shortest
// cycle of every anomaly class (cycle_search.h). Every anomaly comes with an explanation
// in words, step by step. Anomalies map to the models they violate
// (consistency_models.h); the verdict is about the requested model.
//
// `unknown` (never a guess) when the time or memory limit cut the analysis before the
// requested model could be decided; the reason says which. Also `unknown`, as Elle
// answers (:empty-transaction-graph), when nothing else made the history invalid and no
// committed transaction depends on another: no ww, wr or rw edge. Such a history shows
// nothing to check: its writes were never observed, so a cycle through them could neither
// be seen nor ruled out (real-time and process order alone close no cycle, so unlike Elle
// they do not count). Every model not violated is then listed in undecided_models.
//
// Without processes (History::processes_known false) there is no process order: no
// process edges, and the session models (which proscribe -process cycles but not
// -realtime ones) are undecided; models with real-time order are still decided, since
// every process cycle is also a real-time one.

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/history/history.h"
#include "checker/result.h"
#include "checker/txn/txn_history.h"

namespace faultline::txn {

// The consistency model named is not known; what() lists the known ones.
class UnknownConsistencyModel : public std::invalid_argument {
 public:
  explicit UnknownConsistencyModel(const std::string& name);
};

struct TxnCheckOptions {
  ObjectKind workload = ObjectKind::kListAppend;
  std::string consistency_model = "strict-serializable";
  int threads = 0;          // 0: all cores
  double time_limit_s = 0;  // 0: none
  // Past it: unknown ("memory: ..."). Counts the checker's own structures (not the
  // parsed history). 0: min(4096, half of RAM).
  std::size_t memory_limit_mib = 0;
  std::size_t max_examples = 8;      // explained examples kept per anomaly type
  std::size_t max_starts = 100000;   // first edges tried per cycle class and component
  std::size_t max_visits = 4000000;  // BFS states per cycle class and component
};

// One explained instance of an anomaly.
struct AnomalyExample {
  std::string type;            // "G-single", "G1a", ...
  std::string text;            // the explanation in words
  boost::json::object detail;  // txns by op index, keys, values, and for cycles the steps
};

struct TxnCheckResult {
  Verdict verdict = Verdict::kUnknown;
  std::string reason;  // unknown: "time: ..." | "memory: ..."; invalid: the anomalies
  std::string workload, consistency_model, source;
  std::map<std::string, std::size_t> anomaly_counts;  // type -> instances found
  std::vector<AnomalyExample> examples;               // up to max_examples per type
  std::vector<std::string> undecided_anomalies;       // classes a cut search left open
  std::vector<std::string> violated_models;           // weakest first
  std::vector<std::string> strongest_satisfied;       // maximal models not violated
  std::vector<std::string> undecided_models;
  bool processes_known = true;           // false: process order unknown (see above)
  bool empty_transaction_graph = false;  // no dependency at all (see above)
  std::size_t operations = 0, txns_ok = 0, txns_fail = 0, txns_info = 0;
  std::size_t edges = 0, nodes = 0, cyclic_components = 0;
  std::size_t peak_memory_bytes = 0;  // of the checker's structures
  double elapsed_ms = 0;
  std::map<std::string, double> stage_ms;  // compile, infer, graph, components, search

  // Schema "faultline.results/1" (docs/results-format.md, docs/transactions.md).
  boost::json::object to_json() const;
  // A few lines for a person: verdict, anomalies, the first explanations.
  std::string summary() const;
};

// Throws UnknownConsistencyModel, or InputError (file:line) for malformed transactions.
TxnCheckResult check_transactions(const History& history, const TxnCheckOptions& options);
// The same over an already compiled history (benchmarks compile once).
TxnCheckResult check_transactions(const TxnHistory& history, const TxnCheckOptions& options);

}  // namespace faultline::txn
