#pragma once
// check_linearizable: is a history linearizable with respect to a sequential model?
//
// Semantics (Herlihy & Wing, with Jepsen's outcomes):
// - an `ok` operation took effect exactly once, between its invocation and completion;
// - a `fail` operation never took effect: it is dropped;
// - an `info` operation (or one never completed) may take effect at any point after its
//   invocation, or never; a read-like operation with an unknown result constrains
//   nothing and is dropped;
// - real-time order comes from positions in the history: an operation completed
//   before another is invoked must be linearized before it.
//
// Operations carrying a `key` are split by key (P-compositionality: a history of
// independent objects is linearizable iff each object's sub-history is), unless
// CheckOptions::partition is false, in which case the whole history is checked as one
// map from keys to model instances. Partitions are checked in parallel (oneTBB),
// largest first; the first invalid partition cancels the others unless all_keys.
//
// The result document (CheckResult::to_json) is described in docs/results-format.md.

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "checker/history/history.h"
#include "checker/lin/model.h"
#include "checker/result.h"

namespace faultline {

// The name given to --model is not a known model. what() lists the known ones.
class UnknownModel : public std::invalid_argument {
 public:
  explicit UnknownModel(const std::string& name);
};

// A snapshot for progress displays; every field is cumulative since the start.
struct CheckProgress {
  std::size_t partitions_total = 0;
  std::size_t partitions_done = 0;
  std::uint64_t states_explored = 0;  // search configurations visited
  std::size_t memory_bytes = 0;       // memory held by search caches right now
  double elapsed_s = 0;
};

struct CheckOptions {
  std::string model;  // one of model_names()
  std::optional<boost::json::value>
      initial;                            // initial value of every register; default nil (kv: "")
  NilReads nil_reads = NilReads::kValue;  // register-like models: what a nil read means (model.h)
  int threads = 0;                        // 0 = all cores
  double time_limit_s = 0;           // 0 = none; past it, undecided partitions are unknown ("time")
  std::size_t memory_limit_mib = 0;  // 0 = min(4096, half of RAM); past it: unknown ("memory")
  bool all_keys = false;             // decide every partition, even after an invalid one
  bool partition = true;             // false: the whole history as one map key -> model
  std::uint64_t whole_map_states = 0;  // !partition: states the whole-map search may visit
                                       // before deciding by key (checker/lin/decide.h);
                                       // 0 = 8 per operation + 1000
  bool explain = true;                 // explain invalid partitions (costs a few re-checks)
  std::function<void(const CheckProgress&)> on_progress;  // optional; called about 5x per second
                                                          // from a helper thread while checking
};

// One operation as reported in results (explanations, cores).
struct ReportedOp {
  std::size_t index = 0;                        // Operation::index of the invocation
  std::optional<std::size_t> completion_index;  // Operation::index of the completion, if any
  std::int64_t process = 0;
  std::string outcome;   // "ok" | "info" (as checked)
  std::string text;      // e.g. "read 3", "cas [3 1]"
  std::size_t line = 0;  // line of the invocation in the source file; 0 if unknown
};

// Why an invalid partition is invalid.
struct Explanation {
  ReportedOp culprit;                      // the operation that could not be linearized
  std::vector<ReportedOp> longest_prefix;  // longest linearization found, in order
  struct StateWhy {
    std::string state;  // e.g. "4"
    std::string why;    // e.g. "read 3, but the register holds 4"
  };
  std::vector<StateWhy> states;  // states in which the culprit had to take effect
  // A small set of known-outcome operations that stays non-linearizable when every other
  // operation invoked before the culprit completed is given an unknown outcome (later
  // ones are left out). Every operation of `core` is needed unless !core_minimal.
  std::vector<ReportedOp> core;
  bool core_minimal = false;
  std::string text;  // all of the above, in words
};

struct PartitionResult {
  std::optional<boost::json::value> key;  // nullopt for the unkeyed / whole history
  Verdict verdict = Verdict::kUnknown;
  std::string reason;          // for kUnknown: "time" | "memory" | "cancelled"
  std::string engine;          // "wgl", "trivial", "zones", ...
  std::size_t operations = 0;  // operations checked (after dropping fails etc.)
  std::uint64_t states_explored = 0;
  std::size_t peak_memory_bytes = 0;
  double elapsed_ms = 0;
  std::optional<Explanation> explanation;  // for kInvalid
};

struct CheckResult {
  Verdict verdict =
      Verdict::kUnknown;  // invalid if any partition is; else unknown if any is; else valid
  std::string model;
  std::string source;                       // History::source
  std::vector<PartitionResult> partitions;  // in order of first appearance of the key
  std::size_t operations = 0;               // client operations in the history
  std::uint64_t states_explored = 0;
  std::size_t peak_memory_bytes = 0;
  double elapsed_ms = 0;

  // The result document, schema "faultline.results/1" (docs/results-format.md).
  boost::json::object to_json() const;
  // A few lines for a person: verdict, counts, and the explanation of the first
  // invalid partition.
  std::string summary() const;
};

// Throws UnknownModel, or InputError (file:line of the operation) for an operation the
// model cannot take (e.g. a cas whose value is not [old new]).
CheckResult check_linearizable(const History& history, const CheckOptions& options);

// Names accepted by CheckOptions::model, sorted.
std::vector<std::string> model_names();

}  // namespace faultline
