#pragma once
// OnlineLinearizability: per-key linearizability, decided key by key while the history grows.
//
// A keyed history is linearizable iff each key's sub-history is (P-compositionality, see
// checker/lin/check.h), so a key can be decided as soon as its sub-history is complete: no
// operation on it is open and none will come. The first half is seen in the history; the
// second needs to know how the workload chooses keys (KeyRotation). A complete key is handed,
// as its own History, to check_linearizable, the offline checker: the same engines (zones,
// search), the same verdicts and explanations. Its operations are then dropped, so memory is
// bounded by the keys still open, not by the history's length.
//
// Without a rotation every key waits for finish(). The unkeyed operations (no `key`) are one
// partition that always waits for finish(). Before a key is complete, it can only be proved
// invalid: an open key is probed about once a second of history time (probe_interval_s).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "checker/online/online_check.h"

namespace faultline {

// How workloads/register.cpp moves on: integer keys in groups of `keys_per_group`
// (group = key / keys_per_group); each of `workers` client workers (worker = process %
// workers, ClientWorkers' process rule) uses its groups in increasing order and never
// returns to one it left. So a group is complete once every worker has invoked an operation
// on a later group. Operations that break the rule are counted (late_operations) and make
// their key unknown: the rule was wrong for this history.
struct KeyRotation {
  std::size_t keys_per_group = 0;
  std::size_t workers = 0;
};

struct OnlineLinOptions {
  CheckOptions check;  // as for check_linearizable; threads is forced to 1
  std::optional<KeyRotation> rotation;
  // Keep every key's PartitionResult for result(); else only those not valid (long runs).
  bool keep_valid_partitions = true;
  std::string source = "online";  // names the history in errors and results
  // An open key is probed (its sub-history so far checked, open operations as unknown) when an
  // operation on it completes at least this long (history time) after its last probe. An
  // invalid prefix proves the key invalid at once (prefix closure, docs/online.md); the key is
  // still checked whole once complete. 0: never probe (keys decided only when complete).
  double probe_interval_s = 1.0;
};

// One key decided. `ops` (its sub-history, history order) is valid during the callback only.
struct KeyDecision {
  const PartitionResult& result;
  const std::vector<Operation>& ops;
};

class OnlineLinearizability final : public OnlineCheck {
 public:
  // Throws UnknownModel for an unknown model.
  explicit OnlineLinearizability(OnlineLinOptions options);

  void add(const Operation& op) override;
  void finish() override;
  OnlineState state() const override { return state_; }

  // Called on the feeding thread for every key decided, in the order they are decided.
  std::function<void(const KeyDecision&)> on_decided;

  // After finish(): the result of check_linearizable as if run on the whole history (its
  // partitions in order of first appearance of their key, as offline; only the kept ones).
  CheckResult result() const;
  std::size_t late_operations() const { return late_; }
  std::size_t probes() const { return probes_; }                    // open keys probed
  std::size_t proved_by_probe() const { return proved_by_probe_; }  // keys proved so, open

 private:
  struct KeyState {
    std::optional<boost::json::value> key;
    std::int64_t group = -1;  // -1: not in a rotation group (waits for finish)
    std::vector<Operation> ops;
    std::size_t open = 0;
    std::size_t bytes = 0;
    bool late = false;                 // an operation came after its group was complete
    std::int64_t probed_at = kNoTime;  // history time of its last probe (or first operation)
    bool proved = false;               // a probe proved it invalid (counted then)
  };
  struct Decided {
    std::int64_t first = 0;  // index of the key's first non-fail invocation (offline order)
    PartitionResult result;
  };

  KeyState& key_state(const std::string& id, const Operation& invoke);
  void advance_worker(std::int64_t process, std::int64_t group);
  void decide(const std::string& id);
  void probe(KeyState& k);
  void count_invalid(const PartitionResult& p, std::int64_t fallback_operation);
  bool complete(const KeyState& k) const {
    return k.open == 0 && k.group >= 0 && k.group < closed_below_;
  }

  OnlineLinOptions options_;
  OnlineState state_;
  std::unordered_map<std::string, KeyState> keys_;                 // undecided, by key text
  std::unordered_map<std::int64_t, std::string> open_by_process_;  // process -> key text
  std::map<std::int64_t, std::vector<std::string>> groups_;        // group -> its undecided keys
  std::vector<std::int64_t> worker_group_;                         // latest group per worker
  std::int64_t closed_below_ = 0;                                  // groups below are complete
  std::vector<Decided> decided_;
  std::size_t late_ = 0;
  std::size_t probes_ = 0, proved_by_probe_ = 0;
  std::int64_t last_time_ = kNoTime;
  std::size_t operations_ = 0;  // client operations (invocations) seen
  std::uint64_t states_explored_ = 0;
  std::size_t peak_search_bytes_ = 0;
  double elapsed_ms_ = 0;
};

}  // namespace faultline
