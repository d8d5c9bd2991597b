#include "checker/online/online_bank.h"

namespace faultline {

OnlineBank::OnlineBank(BankCheckOptions options, std::string source)
    : options_(std::move(options)), source_(std::move(source)) {
  options_.max_examples = 1;
  state_.unit = "reads";
}

void OnlineBank::add(const Operation& op) {
  ++state_.operations;
  const Operation* invoke = pairing_.pair(op);
  if (op.is_nemesis()) return;
  if (op.is_invoke()) {
    if (op.f == "read") {
      ++state_.pending;
      ++state_.held_operations;
      state_.held_bytes += approximate_bytes(op);
      state_.peak_held_bytes = std::max(state_.peak_held_bytes, state_.held_bytes);
    }
    return;
  }
  if (invoke->f != "read") return;  // a transfer's completion: transfers are not judged
  --state_.pending;
  --state_.held_operations;
  state_.held_bytes -= approximate_bytes(*invoke);
  History one;
  one.ops.push_back(*invoke);
  one.ops.push_back(op);
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
    proof.operation = op.index;  // the read's completion, as check_bank (and the report) names it
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
  pairing_.clear();
  if (state_.valid + state_.invalid == 0) ++state_.unknown;  // no read succeeded
  state_.finished = true;
}

}  // namespace faultline
