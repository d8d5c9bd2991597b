#include "checker/online/online_bank.h"

#include "checker/history/input_error.h"

namespace faultline {

OnlineBank::OnlineBank(BankCheckOptions options, std::string source)
    : options_(std::move(options)), source_(std::move(source)) {
  options_.max_examples = 1;
  state_.unit = "reads";
}

void OnlineBank::add(const Operation& op) {
  ++state_.operations;
  if (op.is_nemesis()) return;
  // The pairing rules of pair_operations, so that what the offline check refuses is refused.
  auto fail = [&](const std::string& problem) {
    return InputError(source_, op.line, 1, "process " + std::to_string(op.process) + " " + problem);
  };
  if (op.is_invoke()) {
    if (!open_.try_emplace(op.process, op.f).second) {
      throw fail("invokes " + op.f + " while its " + open_[op.process] + " has not completed");
    }
  } else if (open_.erase(op.process) == 0) {
    throw fail("completes " + op.f + " (" + std::string(to_string(op.type)) +
               ") without a pending invocation");
  }
  if (op.is_invoke()) {
    if (op.f == "read") {
      open_reads_[op.process] = op;
      ++state_.pending;
      ++state_.held_operations;
      state_.held_bytes += approximate_bytes(op);
      state_.peak_held_bytes = std::max(state_.peak_held_bytes, state_.held_bytes);
    }
    return;
  }
  auto it = open_reads_.find(op.process);
  if (it == open_reads_.end()) return;  // a transfer's completion: transfers are not judged
  History one;
  one.ops.push_back(std::move(it->second));
  one.ops.push_back(op);
  open_reads_.erase(it);
  --state_.pending;
  --state_.held_operations;
  state_.held_bytes -= approximate_bytes(one.ops.front());
  if (op.type != OpType::kOk) return;  // a read that failed or timed out observed nothing
  const BankCheckResult r = check_bank(one, options_);
  const std::size_t anomalies = r.wrong_total_count + r.negative_count + r.malformed_count;
  if (anomalies == 0) {
    ++state_.valid;
    return;
  }
  ++state_.invalid;
  const BankAnomaly* first = nullptr;
  auto note = [&](const char* kind, std::size_t n, const std::vector<BankAnomaly>& examples) {
    if (n == 0) return;
    state_.anomalies[kind] += n;
    if (!first && !examples.empty()) first = &examples.front();
  };
  note("wrong-total", r.wrong_total_count, r.wrong_totals);
  note("negative-balance", r.negative_count, r.negatives);
  note("malformed-read", r.malformed_count, r.malformed);
  if (!state_.first_violation) {
    OnlineProof proof;
    proof.kind = r.wrong_total_count ? "wrong-total"
                 : r.negative_count  ? "negative-balance"
                                     : "malformed-read";
    proof.operation = op.index;
    proof.time = op.time;
    proof.reason =
        "read " + std::to_string(op.index) + ": " + (first ? first->problem : proof.kind);
    state_.first_violation = proof;
  }
}

void OnlineBank::finish() {
  state_.pending = 0;  // reads never completed observed nothing
  state_.held_operations = 0;
  state_.held_bytes = 0;
  open_reads_.clear();
  if (state_.valid + state_.invalid == 0) ++state_.unknown;  // no read succeeded
  state_.finished = true;
}

}  // namespace faultline
