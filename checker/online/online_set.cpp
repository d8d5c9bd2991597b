#include "checker/online/online_set.h"

#include <algorithm>
#include <unordered_set>

#include "checker/history/input_error.h"
#include "checker/history/op_values.h"

namespace faultline {

OnlineSet::OnlineSet(SetCheckOptions options, std::string source)
    : options_(std::move(options)), source_(std::move(source)) {
  history_.source = source_;
  state_.unit = "reads";
}

void OnlineSet::add(const Operation& op) {
  const std::size_t position = history_.ops.size();
  ++state_.operations;
  const Operation* invoke = pairing_.pair(op);
  history_.ops.push_back(op);
  state_.held_operations = history_.ops.size();
  state_.held_bytes += approximate_bytes(op);
  state_.peak_held_bytes = std::max(state_.peak_held_bytes, state_.held_bytes);
  if (op.is_nemesis()) return;
  if (op.is_invoke()) {
    if (op.f == "add") {
      integer_value(op.value, history_, op, "an add's value");  // refused as check_set refuses
    } else if (op.f == "read") {
      known_at_invoke_[op.process] = known_order_.size();
      ++state_.pending;
    }
    return;
  }
  if (invoke->f == "add") {
    if (op.type == OpType::kOk) {
      const std::int64_t x = integer_value(invoke->value, history_, *invoke, "an add's value");
      if (known_.emplace(x, position).second) known_order_.push_back(x);
    }
    return;
  }
  if (invoke->f != "read") return;
  const std::size_t known_before = known_at_invoke_.at(op.process);
  known_at_invoke_.erase(op.process);
  if (op.type != OpType::kOk) {  // a read that failed or timed out observed nothing
    --state_.pending;
    return;
  }
  ++ok_reads_;
  if (!op.value.is_array()) {
    throw InputError(history_.source, op.line, 1, "a read's value must be an array");
  }
  std::vector<std::int64_t> elements;
  for (const auto& v : op.value.get_array()) {
    elements.push_back(integer_value(v, history_, op, "a read element"));
  }
  std::sort(elements.begin(), elements.end());
  const auto repeat = std::adjacent_find(elements.begin(), elements.end());
  const bool final = marked_final(*invoke);
  // Known before the read was invoked (stale or lost), or for a final read before it completed
  // (lost): which elements it had to hold. Elements it saw become known at its completion.
  const std::size_t must_hold = final ? known_order_.size() : known_before;
  std::optional<std::int64_t> missing;
  if (final || options_.stale_is_anomaly) {
    for (std::size_t i = 0; i < must_hold && !missing; ++i) {
      if (!std::binary_search(elements.begin(), elements.end(), known_order_[i])) {
        missing = known_order_[i];
      }
    }
  }
  for (std::int64_t x : elements) {
    if (known_.emplace(x, position).second) known_order_.push_back(x);
  }
  const std::string read = "read " + std::to_string(invoke->index);
  if (repeat != elements.end()) {
    prove("duplicated", *invoke, read + " lists element " + std::to_string(*repeat) + " twice");
  } else if (missing) {
    const std::string element = "element " + std::to_string(*missing);
    if (final) {
      prove("lost", *invoke, "final " + read + " misses " + element + ", known before (lost)");
    } else {
      prove("stale-or-lost", *invoke,
            read + " misses " + element + ", known before the read was invoked (stale or lost)");
    }
  }
}

void OnlineSet::prove(const std::string& kind, const Operation& read, const std::string& reason) {
  --state_.pending;
  ++state_.invalid;
  ++state_.anomalies[kind];
  if (state_.first_violation) return;
  OnlineProof proof;
  proof.kind = kind;
  proof.operation = read.index;  // the read's invocation, as check_set names reads
  proof.time = history_.ops.back().time;
  proof.reason = reason;
  state_.first_violation = proof;
}

void OnlineSet::finish() {
  if (state_.finished) return;
  result_ = check_set(history_, options_);
  history_.ops.clear();
  history_.ops.shrink_to_fit();
  pairing_.clear();
  // From here on the state is check_set's: its anomalies by kind, and the reads not proved
  // invalid early decided with its verdict.
  state_.anomalies.clear();
  auto count = [&](const char* kind, std::size_t n) {
    if (n > 0) state_.anomalies[kind] = n;
  };
  count("lost", result_.lost.size());
  count("unexpected", result_.unexpected.size());
  count("duplicated", result_.duplicated.size());
  if (options_.stale_is_anomaly) count("stale", result_.stale.size());
  const std::size_t undecided = ok_reads_ - state_.invalid;
  switch (result_.verdict) {
    case Verdict::kValid:
      state_.valid += undecided;
      break;
    case Verdict::kUnknown:
      state_.unknown = 1;  // no read succeeded
      break;
    case Verdict::kInvalid:
      if (state_.invalid == 0) {  // proved by the end only: lost or unexpected elements
        state_.invalid = 1;
        OnlineProof proof;
        proof.kind = !result_.lost.empty()         ? "lost"
                     : !result_.unexpected.empty() ? "unexpected"
                                                   : "stale";
        proof.reason = "at the end: lost " + std::to_string(result_.lost.size()) + ", unexpected " +
                       std::to_string(result_.unexpected.size()) + ", stale " +
                       std::to_string(result_.stale.size());
        state_.first_violation = proof;
      }
      state_.valid += ok_reads_ - state_.invalid;
      break;
  }
  state_.pending = 0;
  state_.held_operations = 0;
  state_.held_bytes = 0;
  state_.finished = true;
}

}  // namespace faultline
