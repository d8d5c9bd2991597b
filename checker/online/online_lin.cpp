#include "checker/online/online_lin.h"

#include <algorithm>
#include <chrono>
#include <limits>

#include "checker/history/input_error.h"
#include "checker/lin/model.h"

namespace faultline {
namespace {

std::string key_text(const Operation& op) {
  return op.key ? boost::json::serialize(*op.key) : std::string();
}

// Index of the first invocation whose operation did not fail: the offline checker orders its
// partitions by it (split_partitions).
std::int64_t first_not_failed(const std::vector<Operation>& ops) {
  std::unordered_map<std::int64_t, std::int64_t> open;  // process -> invocation index
  std::int64_t first = std::numeric_limits<std::int64_t>::max();
  for (const Operation& op : ops) {
    if (op.is_invoke()) {
      open[op.process] = op.index;
      continue;
    }
    auto it = open.find(op.process);
    if (it == open.end()) continue;
    if (op.type != OpType::kFail) first = std::min(first, it->second);
    open.erase(it);
  }
  for (const auto& [process, index] : open) first = std::min(first, index);  // never completed
  return first;
}

}  // namespace

OnlineLinearizability::OnlineLinearizability(OnlineLinOptions options)
    : options_(std::move(options)) {
  options_.check.threads = 1;
  options_.check.on_progress = nullptr;
  if (find_model(options_.check.model) == nullptr) throw UnknownModel(options_.check.model);
  if (options_.rotation) {
    if (options_.rotation->keys_per_group == 0 || options_.rotation->workers == 0) {
      throw std::invalid_argument("key rotation needs keys_per_group and workers >= 1");
    }
    worker_group_.assign(options_.rotation->workers, -1);
    closed_below_ = -1;
  }
  state_.unit = "keys";
}

OnlineLinearizability::KeyState& OnlineLinearizability::key_state(const std::string& id,
                                                                  const Operation& invoke) {
  auto [it, inserted] = keys_.try_emplace(id);
  KeyState& k = it->second;
  if (!inserted) return k;
  k.key = invoke.key;
  ++state_.pending;
  if (options_.rotation && invoke.key && invoke.key->is_int64() && invoke.key->get_int64() >= 0) {
    k.group =
        invoke.key->get_int64() / static_cast<std::int64_t>(options_.rotation->keys_per_group);
    if (k.group < closed_below_) {
      k.late = true;  // its group was complete, and the key may have been decided already
      ++late_;
    } else {
      groups_[k.group].push_back(id);
    }
  }
  return k;
}

void OnlineLinearizability::advance_worker(std::int64_t process, std::int64_t group) {
  if (!options_.rotation || process < 0 || group < 0) return;
  std::int64_t& latest = worker_group_[static_cast<std::size_t>(process) % worker_group_.size()];
  if (group <= latest) return;
  const bool was_slowest = latest == closed_below_;
  latest = group;
  if (!was_slowest) return;
  const std::int64_t closed = *std::min_element(worker_group_.begin(), worker_group_.end());
  if (closed <= closed_below_) return;
  closed_below_ = closed;
  // Every group below `closed` is complete: decide its keys that have nothing open.
  while (!groups_.empty() && groups_.begin()->first < closed) {
    std::vector<std::string> ids = std::move(groups_.begin()->second);
    groups_.erase(groups_.begin());
    for (const std::string& id : ids) {
      auto it = keys_.find(id);
      if (it != keys_.end() && it->second.open == 0) decide(id);
    }
  }
}

void OnlineLinearizability::add(const Operation& op) {
  ++state_.operations;
  if (op.is_nemesis()) return;
  last_time_ = op.time;
  auto fail = [&](const std::string& problem) {
    return InputError(options_.source, op.line, 1,
                      "process " + std::to_string(op.process) + " " + problem);
  };
  std::string id;
  if (op.is_invoke()) {
    id = key_text(op);
    auto [slot, fresh] = open_by_process_.try_emplace(op.process, id);
    if (!fresh) throw fail("invokes " + op.f + " while an operation is in flight");
    ++operations_;
    KeyState& k = key_state(id, op);
    ++k.open;
    k.ops.push_back(op);
    const std::size_t bytes = approximate_bytes(op);
    k.bytes += bytes;
    ++state_.held_operations;
    state_.held_bytes += bytes;
    state_.peak_held_bytes = std::max(state_.peak_held_bytes, state_.held_bytes);
    advance_worker(op.process, k.group);
    return;
  }
  auto open = open_by_process_.find(op.process);
  if (open == open_by_process_.end()) {
    throw fail("completes " + op.f + " (" + std::string(to_string(op.type)) +
               ") without a pending invocation");
  }
  id = std::move(open->second);
  open_by_process_.erase(open);
  auto it = keys_.find(id);
  KeyState& k = it->second;  // present: it has an open operation
  --k.open;
  k.ops.push_back(op);
  const std::size_t bytes = approximate_bytes(op);
  k.bytes += bytes;
  ++state_.held_operations;
  state_.held_bytes += bytes;
  state_.peak_held_bytes = std::max(state_.peak_held_bytes, state_.held_bytes);
  if (complete(k)) {
    decide(id);
  } else if (!k.proved && options_.probe_interval_s > 0 && op.time != kNoTime) {
    if (k.probed_at == kNoTime) k.probed_at = op.time;
    if (static_cast<double>(op.time - k.probed_at) >= options_.probe_interval_s * 1e9) probe(k);
  }
}

void OnlineLinearizability::probe(KeyState& k) {
  // Linearizability is prefix-closed: a sub-history so far with no valid explanation (open
  // operations counted as unknown, which only allows more) has none however it continues.
  k.probed_at = last_time_;
  const auto started = std::chrono::steady_clock::now();
  History sub;
  sub.source = options_.source;
  sub.ops = k.ops;
  CheckResult checked = check_linearizable(sub, options_.check);
  elapsed_ms_ +=
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  ++probes_;
  for (const PartitionResult& p : checked.partitions) {
    if (p.verdict != Verdict::kInvalid) continue;
    k.proved = true;
    ++proved_by_probe_;
    count_invalid(p, k.ops.back().index);
  }
}

void OnlineLinearizability::count_invalid(const PartitionResult& p, std::int64_t fallback) {
  ++state_.invalid;
  ++state_.anomalies["nonlinearizable-key"];
  if (state_.first_violation) return;
  OnlineProof proof;
  proof.kind = "nonlinearizable-key";
  proof.time = last_time_;
  proof.operation = fallback;
  if (p.explanation) {
    // The invocation's index: the one the report's explanation names the culprit by.
    proof.operation = static_cast<std::int64_t>(p.explanation->culprit.index);
  }
  proof.reason = "key " + (p.key ? value_text(*p.key) : std::string("(unkeyed)")) +
                 " is not linearizable" +
                 (p.explanation ? ": operation " + std::to_string(proof.operation) + " (" +
                                      p.explanation->culprit.text + ") cannot take effect"
                                : std::string());
  state_.first_violation = proof;
}

void OnlineLinearizability::decide(const std::string& id) {
  auto it = keys_.find(id);
  KeyState k = std::move(it->second);
  keys_.erase(it);
  --state_.pending;
  state_.held_operations -= k.ops.size();
  state_.held_bytes -= k.bytes;

  const auto started = std::chrono::steady_clock::now();
  History sub;
  sub.source = options_.source;
  sub.ops = std::move(k.ops);
  const std::int64_t first = first_not_failed(sub.ops);
  CheckResult checked = check_linearizable(sub, options_.check);
  elapsed_ms_ +=
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  for (PartitionResult& p : checked.partitions) {  // none when every operation failed
    if (k.late) {
      p.verdict = Verdict::kUnknown;
      p.reason = "late";  // operations came after the rotation said the key was complete
      p.explanation.reset();
    }
    states_explored_ += p.states_explored;
    peak_search_bytes_ = std::max(peak_search_bytes_, p.peak_memory_bytes);
    if (k.proved) {
      // Counted when a probe proved it; the whole key can only miss that proof by a limit.
      p.verdict = Verdict::kInvalid;
    } else
      switch (p.verdict) {
        case Verdict::kValid:
          ++state_.valid;
          break;
        case Verdict::kUnknown:
          ++state_.unknown;
          break;
        case Verdict::kInvalid:
          count_invalid(p, sub.ops.back().index);
          break;
      }
    if (on_decided) on_decided(KeyDecision{p, sub.ops});
    if (p.verdict != Verdict::kValid || options_.keep_valid_partitions) {
      decided_.push_back(Decided{first, std::move(p)});
    }
  }
}

void OnlineLinearizability::finish() {
  if (state_.finished) return;
  std::vector<std::string> ids;
  ids.reserve(keys_.size());
  for (const auto& [id, k] : keys_) ids.push_back(id);
  for (const std::string& id : ids) decide(id);
  groups_.clear();
  state_.finished = true;
}

CheckResult OnlineLinearizability::result() const {
  CheckResult r;
  r.model = options_.check.model;
  r.source = options_.source;
  r.operations = operations_;
  r.states_explored = states_explored_;
  r.peak_memory_bytes = peak_search_bytes_;
  r.elapsed_ms = elapsed_ms_;
  std::vector<const Decided*> order;
  order.reserve(decided_.size());
  for (const Decided& d : decided_) order.push_back(&d);
  std::stable_sort(order.begin(), order.end(),
                   [](const Decided* a, const Decided* b) { return a->first < b->first; });
  for (const Decided* d : order) r.partitions.push_back(d->result);
  r.verdict = state_.invalid > 0                       ? Verdict::kInvalid
              : state_.unknown > 0 || !state_.finished ? Verdict::kUnknown
                                                       : Verdict::kValid;
  return r;
}

}  // namespace faultline
