#include "checker/lin/search.h"

#include <algorithm>

#include "checker/lin/search_cache.h"

namespace faultline {
namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

struct Entry {
  std::size_t pos;
  int op;
  bool ret;
};

// Entries in history order. Within a run of consecutive calls the order is free (every
// call of the run is a candidate exactly when the others are), so known operations come
// first, earliest return first, and unknown ones last: they are tried only when needed.
std::vector<Entry> make_entries(const std::vector<SearchOp>& ops) {
  std::vector<Entry> entries;
  entries.reserve(ops.size() * 2);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    entries.push_back({ops[i].call, static_cast<int>(i), false});
    if (ops[i].known()) entries.push_back({ops[i].ret, static_cast<int>(i), true});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.pos != b.pos) return a.pos < b.pos;
    return !a.ret && b.ret;  // equal positions: calls first (never restricts)
  });
  for (std::size_t begin = 0; begin < entries.size();) {
    std::size_t end = begin;
    while (end < entries.size() && !entries[end].ret) ++end;
    std::stable_sort(entries.begin() + begin, entries.begin() + end,
                     [&](const Entry& a, const Entry& b) { return ops[a.op].ret < ops[b.op].ret; });
    begin = end + 1;
  }
  return entries;
}

class Search {
 public:
  Search(const std::vector<SearchOp>& ops, PartitionModel& model, const SearchLimits& limits,
         bool explain)
      : ops_(ops),
        model_(model),
        limits_(limits),
        explain_(explain),
        entries_(make_entries(ops)),
        words_((ops.size() + 63) / 64 + (ops.empty() ? 1 : 0)),
        bits_(words_, 0),
        cache_(words_, *limits.memory, limits.deadline) {
    const int n = static_cast<int>(entries_.size());
    head_ = n;
    next_.resize(n + 1);
    prev_.resize(n + 1);
    for (int e = 0; e <= n; ++e) {
      next_[e] = e == n ? 0 : e + 1;
      prev_[e] = e == 0 ? n : e - 1;
    }
    if (n == 0) next_[head_] = prev_[head_] = head_;
    call_entry_.assign(ops.size(), -1);
    ret_entry_.assign(ops.size(), -1);
    zobrist_.resize(ops.size());
    for (int e = 0; e < n; ++e) (entries_[e].ret ? ret_entry_ : call_entry_)[entries_[e].op] = e;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      zobrist_[i] = splitmix64(i * 0x2545f4914f6cdd1dULL + 0x1234567);
      if (ops[i].known()) ++ok_left_;
    }
  }

  SearchOutcome run();

 private:
  struct Frame {
    int op;
    std::uint64_t prev_state;
    std::uint32_t choice;
    std::uint32_t choices;
    bool forced;  // a read linearized as soon as enabled: no alternative to try
  };

  void unlink(int e) {
    next_[prev_[e]] = next_[e];
    prev_[next_[e]] = prev_[e];
  }
  void relink(int e) {
    next_[prev_[e]] = e;
    prev_[next_[e]] = e;
  }
  bool linearized(int op) const { return (bits_[op >> 6] >> (op & 63)) & 1; }
  void flip(int op) { bits_[op >> 6] ^= std::uint64_t{1} << (op & 63); }

  // False when `to` cannot lead to a state accepting some pending known operation of the
  // next kLookahead entries that no reset could precede (PartitionModel::may_reach).
  // Also replaces `to` by its forgotten form (PartitionModel::forget) when no pending
  // operation can observe the changed object before a reset.
  bool viable(int op, std::uint64_t& to) {
    constexpr int kLookahead = 96;
    const std::size_t object = ops_[op].object;
    resets_.clear();
    bool observed = false;
    int seen = 0;
    for (int e = next_[head_]; e != head_; e = next_[e]) {
      const Entry& en = entries_[e];
      const SearchOp& o = ops_[en.op];
      if (en.op == op || o.object != object) continue;
      if (++seen > kLookahead && observed) return true;
      if (!en.ret) {
        if (o.resets) resets_.push_back(en.op);  // invoked before the returns that follow
        continue;
      }
      if (model_.may_reach(to, o.model_op)) {
        observed |= o.read_only;  // a get that could see it (an append sees nothing)
        continue;
      }
      if (seen > kLookahead) continue;  // only looking for an observer now
      bool through_reset = false;
      for (int r : resets_) {
        if (model_.may_reach_after(ops_[r].model_op, o.model_op)) {
          through_reset = true;
          break;
        }
      }
      if (!through_reset) return false;
    }
    if (!observed) to = model_.forget(to, object);
    return true;
  }

  // Linearizes `op` into successors_[choice] unless that configuration was explored.
  bool try_push(int op, std::uint32_t choice) {
    std::uint64_t to = successors_[choice];
    if (prunes_ && to != state_ && !viable(op, to)) return false;
    flip(op);
    const std::uint64_t set_hash = hash_ ^ zobrist_[op];
    if (!cache_.insert(set_hash ^ splitmix64(to), to, bits_.data())) {
      flip(op);
      return false;
    }
    hash_ = set_hash;
    stack_.push_back({op, state_, choice, static_cast<std::uint32_t>(successors_.size()),
                      ops_[op].read_only && ops_[op].known()});
    state_ = to;
    unlink(call_entry_[op]);
    if (ret_entry_[op] >= 0) {
      unlink(ret_entry_[op]);
      --ok_left_;
    }
    ++states_;
    return true;
  }

  // Undoes the last linearization and moves on: to its next successor state, else to the
  // entry after its call. False when there is nothing left to undo.
  bool backtrack() {
    while (!stack_.empty()) {
      const Frame f = stack_.back();
      stack_.pop_back();
      flip(f.op);
      hash_ ^= zobrist_[f.op];
      state_ = f.prev_state;
      if (ret_entry_[f.op] >= 0) {
        relink(ret_entry_[f.op]);
        ++ok_left_;
      }
      relink(call_entry_[f.op]);
      if (f.forced) continue;
      if (f.choice + 1 < f.choices) {
        successors_.clear();
        model_.step(state_, ops_[f.op].model_op, successors_);
        for (std::uint32_t c = f.choice + 1; c < successors_.size(); ++c) {
          if (try_push(f.op, c)) {
            entry_ = next_[head_];
            return true;
          }
        }
      }
      entry_ = next_[call_entry_[f.op]];
      return true;
    }
    return false;
  }

  void note_blocked(int op) {
    const std::size_t pos = ops_[op].ret;
    if (culprit_ < 0 || pos > ops_[culprit_].ret) {
      culprit_ = op;
      prefix_.clear();
      for (const Frame& f : stack_) prefix_.push_back(f.op);
      culprit_states_.clear();
    }
    if (op == culprit_ && culprit_states_.size() < 16 &&
        std::find(culprit_states_.begin(), culprit_states_.end(), state_) ==
            culprit_states_.end()) {
      culprit_states_.push_back(state_);
    }
  }

  // Empty when the search may go on; else why it must stop.
  std::string over_limit(bool full = false) {
    // When polled at every step, the shared progress counter and the model's memory (which
    // may walk every key, KeyedModel) are looked at only every 64th time.
    full |= poll_mask_ == 1023 || (++polls_ & 63) == 0;
    if (full && limits_.explored) {
      limits_.explored->fetch_add(states_ - reported_, std::memory_order_relaxed);
      reported_ = states_;
    }
    if (limits_.cancel && limits_.cancel->load(std::memory_order_relaxed)) return "cancelled";
    if (std::chrono::steady_clock::now() > limits_.deadline) return "time";
    if (limits_.max_states && states_ > limits_.max_states) return "budget";
    if (cache_.thrashing()) return "memory";
    if (!full) return "";
    const std::size_t model_bytes = model_.memory_bytes();
    if (model_bytes > model_reserved_) {
      if (!limits_.memory->try_reserve(model_bytes - model_reserved_)) return "memory";
      model_reserved_ = model_bytes;
    }
    peak_ = std::max(peak_, cache_.bytes() + model_reserved_);
    return "";
  }

  SearchOutcome finish(Verdict verdict, std::string reason) {
    over_limit(true);
    SearchOutcome out;
    out.verdict = verdict;
    out.reason = std::move(reason);
    out.states = states_;
    out.peak_bytes = std::max(peak_, cache_.bytes() + model_reserved_);
    limits_.memory->release(model_reserved_);
    if (verdict == Verdict::kInvalid && explain_) {
      out.culprit = culprit_;
      out.longest_prefix = std::move(prefix_);
      out.culprit_states = std::move(culprit_states_);
    }
    return out;
  }

  const std::vector<SearchOp>& ops_;
  PartitionModel& model_;
  const SearchLimits& limits_;
  bool explain_;
  std::vector<Entry> entries_;
  std::vector<int> next_, prev_, call_entry_, ret_entry_;
  int head_ = 0;
  int entry_ = 0;
  std::size_t words_;
  std::vector<std::uint64_t> bits_;
  std::vector<std::uint64_t> zobrist_;
  std::uint64_t hash_ = 0;
  std::uint64_t state_ = 0;
  std::size_t ok_left_ = 0;
  std::vector<Frame> stack_;
  std::vector<std::uint64_t> successors_;
  std::vector<int> resets_;
  bool prunes_ = model_.prunes();
  // Limits are polled every poll_mask_ + 1 steps: fewer when a step copies a long bitset.
  std::uint32_t poll_mask_ = words_ >= 256 ? 0 : words_ >= 16 ? 63 : 1023;
  std::uint32_t polls_ = 0;
  SearchCache cache_;
  std::uint64_t states_ = 0, reported_ = 0;
  std::size_t model_reserved_ = 0, peak_ = 0;
  int culprit_ = -1;
  std::vector<int> prefix_;
  std::vector<std::uint64_t> culprit_states_;
};

SearchOutcome Search::run() {
  state_ = model_.initial();
  entry_ = next_[head_];
  std::uint32_t tick = 0;
  while (true) {
    if (ok_left_ == 0) return finish(Verdict::kValid, "");
    if ((++tick & poll_mask_) == 0) {
      if (auto why = over_limit(); !why.empty()) return finish(Verdict::kUnknown, why);
    }
    if (entry_ == head_) {  // only unknown calls left after the last return: cannot happen
      if (!backtrack()) return finish(Verdict::kInvalid, "");
      continue;
    }
    const Entry& e = entries_[entry_];
    if (e.ret) {
      if (explain_) note_blocked(e.op);
      if (!backtrack()) return finish(Verdict::kInvalid, "");
      continue;
    }
    const int op = e.op;
    if (ops_[op].same_as >= 0 && !linearized(ops_[op].same_as)) {
      entry_ = next_[entry_];
      continue;
    }
    if (!stack_.empty() && !ops_[stack_.back().op].known()) {
      const SearchOp& top = ops_[stack_.back().op];
      if (ops_[op].blind || ops_[op].object != top.object) {
        entry_ = next_[entry_];
        continue;
      }
    }
    successors_.clear();
    model_.step(state_, ops_[op].model_op, successors_);
    bool moved = false;
    for (std::uint32_t c = 0; c < successors_.size() && !moved; ++c) moved = try_push(op, c);
    if (!moved && !successors_.empty() && ops_[op].read_only && ops_[op].known()) {
      // An enabled read whose configuration was explored (and failed): so does this one.
      if (!backtrack()) return finish(Verdict::kInvalid, "");
      continue;
    }
    entry_ = moved ? next_[head_] : next_[entry_];
  }
}

}  // namespace

SearchOutcome search_linearization(const std::vector<SearchOp>& ops, PartitionModel& model,
                                   const SearchLimits& limits, bool explain) {
  Search search(ops, model, limits, explain);
  return search.run();
}

}  // namespace faultline
