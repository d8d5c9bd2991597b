#pragma once
// OnlineSet: the set checker (checker/set) fed while the history grows. check_set judges lost,
// stale and recovered elements against the final reads, and "unexpected" against every add
// of the history, so its verdict waits for the end: finish() runs check_set itself on the
// history fed. What no later operation can change is proved at a read's completion (each
// element added once, as the set workload adds them and check_set's contract says):
// - the read lists an element twice: check_set calls it duplicated;
// - with stale_is_anomaly (linearizable reads), a read misses an element known (its add
//   acknowledged, or seen by a read) before the read was invoked: at the end the element is in
//   every final read (stale) or not (lost), or its add failed or never came (unexpected);
//   each is an anomaly;
// - a final read ("final": true) misses an element known before it completed: lost (or, as
//   above, unexpected).
// Everything else (unexpected elements, stale reads of serializable reads, recovered) waits for
// check_set at the end. Memory: the history fed, as check_set needs it.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "checker/online/online_check.h"
#include "checker/online/online_pairing.h"
#include "checker/set/set_checker.h"

namespace faultline {

class OnlineSet final : public OnlineCheck {
 public:
  // `source` names the history in errors (InputError, as check_set offline).
  explicit OnlineSet(SetCheckOptions options, std::string source = "online");
  void add(const Operation& op) override;
  void finish() override;
  OnlineState state() const override { return state_; }
  // After finish(): check_set's result on the history fed.
  const SetCheckResult& result() const { return result_; }

 private:
  void prove(const std::string& kind, const Operation& read, const std::string& reason);

  SetCheckOptions options_;
  std::string source_;
  OnlinePairing pairing_{source_};
  History history_;  // every operation fed, for check_set at the end
  OnlineState state_;
  SetCheckResult result_;
  std::unordered_map<std::int64_t, std::size_t> known_;  // element -> position it became known
  std::vector<std::int64_t> known_order_;                // elements in the order they became known
  std::unordered_map<std::int64_t, std::size_t> known_at_invoke_;  // process -> known_order_ size
  std::size_t ok_reads_ = 0;
};

}  // namespace faultline
