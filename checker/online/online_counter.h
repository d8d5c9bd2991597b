#pragma once
// OnlineCounter: the counter checker (checker/counter) read by read. check_counter bounds each
// `ok` read by two sums: below, the adds acknowledged before the read was invoked; above, the
// adds not known to have failed that were invoked before it completed. The lower bound is
// final when the read is invoked. The upper bound is final once every add invoked before the
// read's completion has completed (an add never completed counts as possible, as offline):
// until then it lies between two sums, the open adds all failing or all succeeding. So a read
// is decided at its completion, or when the last of those adds completes, or at finish():
// - below its lower bound: invalid (lost increments), at its completion;
// - above the largest upper bound it can still get: invalid (more than was added);
// - within [lower, smallest upper bound it can still get]: valid.
// Memory: the open adds and the reads still undecided, not the history.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "checker/counter/counter_checker.h"
#include "checker/online/online_check.h"
#include "checker/online/online_pairing.h"

namespace faultline {

class OnlineCounter final : public OnlineCheck {
 public:
  // `source` names the history in errors (InputError, as check_counter offline).
  explicit OnlineCounter(std::string source = "online");
  void add(const Operation& op) override;
  void finish() override;
  OnlineState state() const override { return state_; }

 private:
  struct PendingRead {
    std::int64_t index = 0;  // Operation::index of the invocation
    std::int64_t value = 0, lower = 0;
    std::int64_t upper = 0;                    // sum of the adds decided possible
    std::map<std::size_t, std::int64_t> open;  // adds it waits for: position -> delta
  };
  // Decides `r` if its bounds allow (counting it valid or invalid); `now`: the operation fed.
  bool try_decide(const PendingRead& r, const Operation& now);

  std::string source_;
  OnlinePairing pairing_{source_};
  History named_;  // empty: names the source in InputErrors
  OnlineState state_;
  std::size_t position_ = 0;       // of the next operation fed, in the history
  std::int64_t acknowledged_ = 0;  // sum of ok adds completed so far
  std::int64_t possible_ = 0;      // sum of ok and info adds completed so far
  std::map<std::int64_t, std::int64_t> lower_at_invoke_;  // process -> lower bound of its read
  std::map<std::int64_t, std::pair<std::size_t, std::int64_t>>
      open_adds_;  // process -> (position, delta)
  std::vector<PendingRead> pending_;
  std::size_t ok_reads_ = 0;
};

}  // namespace faultline
