#include "checker/online/online_counter.h"

#include <algorithm>

#include "checker/history/op_values.h"

namespace faultline {

OnlineCounter::OnlineCounter(std::string source) : source_(std::move(source)) {
  state_.unit = "reads";
  named_.source = source_;
}

void OnlineCounter::add(const Operation& op) {
  const std::size_t position = position_++;
  ++state_.operations;
  const Operation* invoke = pairing_.pair(op);
  if (op.is_nemesis()) return;
  if (op.is_invoke()) {
    if (op.f == "add") {
      open_adds_[op.process] = {position, integer_value(op.value, named_, op, "an add's value")};
    } else if (op.f == "read") {
      lower_at_invoke_[op.process] = acknowledged_;
      ++state_.pending;
    }
  } else if (invoke->f == "add") {
    const auto [at, delta] = open_adds_.at(op.process);
    open_adds_.erase(op.process);
    if (op.type == OpType::kOk) acknowledged_ += delta;
    if (op.type != OpType::kFail) possible_ += delta;
    // The reads whose upper bound waited for this add.
    std::vector<PendingRead> still;
    for (PendingRead& r : pending_) {
      auto it = r.open.find(at);
      if (it == r.open.end()) {
        still.push_back(std::move(r));
        continue;
      }
      r.open.erase(it);
      if (op.type != OpType::kFail) r.upper += delta;
      if (try_decide(r, op)) {
        --state_.pending;
      } else {
        still.push_back(std::move(r));
      }
    }
    pending_ = std::move(still);
  } else if (invoke->f == "read") {
    const std::int64_t lower = lower_at_invoke_.at(op.process);
    lower_at_invoke_.erase(op.process);
    bool decided = true;  // a read that failed or timed out observed nothing
    if (op.type == OpType::kOk) {
      ++ok_reads_;
      PendingRead r;
      r.index = invoke->index;
      r.value = op.value.is_null() ? 0 : integer_value(op.value, named_, op, "a read's value");
      r.lower = lower;
      r.upper = possible_;
      for (const auto& [process, add] : open_adds_) r.open.emplace(add.first, add.second);
      decided = try_decide(r, op);
      if (!decided) pending_.push_back(std::move(r));
    }
    if (decided) --state_.pending;
  }
  state_.held_operations = pairing_.open().size() + pending_.size();
  state_.held_bytes = pairing_.open_bytes() + pending_.size() * sizeof(PendingRead);
  state_.peak_held_bytes = std::max(state_.peak_held_bytes, state_.held_bytes);
}

bool OnlineCounter::try_decide(const PendingRead& r, const Operation& now) {
  // The upper bound check_counter will compute lies between these two.
  std::int64_t least = r.upper, most = r.upper;
  for (const auto& [at, delta] : r.open) (delta < 0 ? least : most) += delta;
  if (r.value >= r.lower && r.value > least && r.value <= most) return false;  // not yet known
  const std::int64_t upper = r.value > most ? most : least;
  const char* problem = counter_read_problem(r.value, r.lower, upper);
  if (!problem) {
    ++state_.valid;
    return true;
  }
  ++state_.invalid;
  const bool low = r.value < r.lower;
  ++state_.anomalies[low ? "lost-increments" : "more-than-added"];
  if (!state_.first_violation) {
    OnlineProof proof;
    proof.kind = low ? "lost-increments" : "more-than-added";
    proof.operation = r.index;
    proof.time = now.time;
    proof.reason = "read " + std::to_string(r.index) + " returned " + std::to_string(r.value) +
                   (low ? ", below the " + std::to_string(r.lower) +
                              " acknowledged before it was invoked (lost increments)"
                        : ", above the at most " + std::to_string(upper) +
                              " added before it completed (more than was added)");
    state_.first_violation = proof;
  }
  return true;
}

void OnlineCounter::finish() {
  if (state_.finished) return;
  // Adds never completed may have happened (info, as pair_operations says): possible.
  Operation end;
  end.time = kNoTime;
  for (PendingRead& r : pending_) {
    for (const auto& [at, delta] : r.open) r.upper += delta;
    r.open.clear();
    try_decide(r, end);
  }
  pending_.clear();
  pairing_.clear();
  open_adds_.clear();
  lower_at_invoke_.clear();
  state_.pending = 0;
  state_.held_operations = 0;
  state_.held_bytes = 0;
  if (ok_reads_ == 0) ++state_.unknown;  // no read succeeded
  state_.finished = true;
}

}  // namespace faultline
