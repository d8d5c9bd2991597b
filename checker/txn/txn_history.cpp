#include "checker/txn/txn_history.h"

#include <algorithm>
#include <climits>
#include <mutex>

#include <tbb/parallel_for.h>

#include "checker/history/pairing.h"

namespace faultline::txn {
namespace {

// Integers this close to kNil are interned like any other value, so ids never collide.
constexpr Value kInternedSpan = Value{1} << 32;
constexpr std::uint32_t kNone = UINT32_MAX;

// Compiling touches every JSON node of the history once; the history lives in many
// small heap blocks, so the work is bound by memory latency and runs in parallel over
// transactions. Errors found in parallel are rethrown in history order.
class Compiler {
 public:
  Compiler(const History& history, Workload workload) : history_(history) {
    out_.workload = workload;
    out_.source = history.source;
    out_.history_ops = history.ops.size();
  }

  TxnHistory run() {
    pair();
    const std::size_t n = pairs_.size();
    out_.txns.resize(n);
    sources_.assign(n, nullptr);
    errors_.assign(n, std::nullopt);
    parallel(n, [&](std::size_t t) { describe(t); });
    std::uint64_t mops = 0;
    for (Txn& t : out_.txns) {
      if (mops + t.mop_count > UINT32_MAX) throw InputError(out_.source, t.line, 1, "too many micro-ops");
      t.mop_begin = static_cast<std::uint32_t>(mops);
      mops += t.mop_count;
    }
    out_.mops.resize(mops);
    mop_sources_.assign(mops, nullptr);
    raw_keys_.assign(mops, 0);
    string_keys_.assign(mops, 0);
    parallel(n, [&](std::size_t t) { compile_mops(static_cast<std::uint32_t>(t)); });
    intern_keys();
    copy_lists();
    return std::move(out_);
  }

 private:
  struct Pair {
    std::size_t invoke = 0;
    std::size_t completion = SIZE_MAX;
    OpType outcome = OpType::kInfo;
  };

  // Jepsen's pairing (checker/history/pairing.h), with a fast path for small process
  // ids; anything unusual goes through pair_operations, which also names the error.
  void pair() {
    constexpr std::int64_t kMaxFast = 1 << 22;
    std::vector<std::uint32_t> pending;
    bool fast = true;
    for (std::size_t i = 0; i < history_.ops.size() && fast; ++i) {
      const Operation& op = history_.ops[i];
      if (op.is_nemesis()) continue;
      if (op.process < 0 || op.process >= kMaxFast) {
        fast = false;
        break;
      }
      const auto p = static_cast<std::size_t>(op.process);
      if (p >= pending.size()) pending.resize(p + 1, kNone);
      if (op.is_invoke()) {
        if (pending[p] != kNone) {
          fast = false;
          break;
        }
        pending[p] = static_cast<std::uint32_t>(pairs_.size());
        pairs_.push_back(Pair{i});
      } else {
        if (pending[p] == kNone) {
          fast = false;
          break;
        }
        pairs_[pending[p]].completion = i;
        pairs_[pending[p]].outcome = op.type;
        pending[p] = kNone;
      }
    }
    if (fast) return;
    pairs_.clear();
    for (const PairedOp& p : pair_operations(history_).ops) {
      pairs_.push_back(Pair{p.invoke, p.completion.value_or(SIZE_MAX), p.outcome});
    }
  }

  template <class F>
  void parallel(std::size_t n, F&& f) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 2048), [&](auto range) {
      for (std::size_t t = range.begin(); t != range.end(); ++t) {
        try {
          f(t);
        } catch (const InputError& e) {
          errors_[t] = e;
        }
      }
    });
    for (const auto& e : errors_) {
      if (e) throw *e;
    }
  }

  [[noreturn]] void fail(const Operation& op, const std::string& problem) const {
    throw InputError(history_.source, op.line, 1, problem);
  }

  void describe(std::size_t i) {
    const Pair& p = pairs_[i];
    const Operation& invoke = history_.ops[p.invoke];
    if (invoke.f != "txn") {
      fail(invoke, "operation '" + invoke.f + "' is not a transaction (expected f txn for the " +
                       std::string(to_string(out_.workload)) + " model)");
    }
    Txn& t = out_.txns[i];
    t.outcome = p.outcome == OpType::kOk     ? Outcome::kOk
                : p.outcome == OpType::kFail ? Outcome::kFail
                                             : Outcome::kInfo;
    t.process = invoke.process;
    t.index = invoke.index;
    t.invoke_pos = p.invoke;
    t.line = invoke.line;
    const Operation* source = &invoke;
    if (p.completion != SIZE_MAX) {
      const Operation& done = history_.ops[p.completion];
      t.completion_index = done.index;
      t.complete_pos = p.completion;
      if (t.outcome == Outcome::kOk && !done.value.is_null()) source = &done;
    }
    if (!source->value.is_array()) {
      fail(*source, "the value of a txn must be a list of micro-ops, got " +
                        boost::json::serialize(source->value));
    }
    sources_[i] = source;
    t.mop_count = static_cast<std::uint32_t>(source->value.get_array().size());
  }

  void compile_mops(std::uint32_t i) {
    const Txn& t = out_.txns[i];
    const Operation& op = *sources_[i];
    const bool ok = t.outcome == Outcome::kOk;
    std::uint32_t m = t.mop_begin;
    for (const boost::json::value& mop : op.value.get_array()) add_mop(op, mop, i, ok, m++);
    mark_order(t);
  }

  void add_mop(const Operation& op, const boost::json::value& json, std::uint32_t txn, bool ok,
               std::uint32_t index) {
    const bool list_append = out_.workload == Workload::kListAppend;
    const char* expected = list_append ? "append and r" : "w and r";
    if (!json.is_array() || json.get_array().size() != 3 || !json.get_array()[0].is_string()) {
      fail(op, "malformed micro-op " + boost::json::serialize(json) +
                   " (expected [f, key, value] with f one of " + expected + ")");
    }
    const auto& a = json.get_array();
    const std::string_view f = a[0].get_string();
    Mop& m = out_.mops[index];
    m.txn = txn;
    if (a[1].is_int64()) {
      raw_keys_[index] = a[1].get_int64();
    } else {
      std::lock_guard<std::mutex> lock(interning_);
      auto [it, added] = string_key_ids_.try_emplace(boost::json::serialize(a[1]),
                                                     static_cast<std::int64_t>(string_key_ids_.size()));
      raw_keys_[index] = it->second;
      string_keys_[index] = 1;
    }
    if (f == "r") {
      m.kind = MopKind::kRead;
      m.read_known = ok;
      if (!ok) return;
      if (!list_append) {
        m.value = a[2].is_null() ? kNil : intern(a[2]);
      } else if (a[2].is_array()) {
        m.list_size = static_cast<std::uint32_t>(a[2].get_array().size());
        mop_sources_[index] = &a[2].get_array();
      } else if (!a[2].is_null()) {
        fail(op, "a list-append read returned " + boost::json::serialize(a[2]) + ", not a list");
      }
    } else if ((list_append && f == "append") || (!list_append && f == "w")) {
      m.kind = list_append ? MopKind::kAppend : MopKind::kWrite;
      if (a[2].is_null()) fail(op, "micro-op " + boost::json::serialize(json) + " writes nil");
      m.value = intern(a[2]);
    } else {
      fail(op, "unknown micro-op '" + std::string(f) + "' in " + boost::json::serialize(json) +
                   " (the " + std::string(to_string(out_.workload)) + " model knows " + expected +
                   ")");
    }
  }

  Value intern(const boost::json::value& v) {
    if (v.is_int64() && v.get_int64() >= kNil + kInternedSpan) return v.get_int64();
    std::lock_guard<std::mutex> lock(interning_);
    return out_.values.intern(v);
  }

  // Dense key ids in order of first appearance; integer keys in a modest range go
  // through an array instead of a hash map.
  void intern_keys() {
    std::int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (std::size_t i = 0; i < raw_keys_.size(); ++i) {
      if (string_keys_[i]) continue;
      lo = std::min(lo, raw_keys_[i]);
      hi = std::max(hi, raw_keys_[i]);
    }
    const bool dense = lo <= hi && static_cast<std::uint64_t>(hi - lo) < (std::uint64_t{1} << 26);
    std::vector<std::uint32_t> by_value(dense ? static_cast<std::size_t>(hi - lo + 1) : 0, kNone);
    std::unordered_map<std::int64_t, std::uint32_t> ints;
    std::vector<std::uint32_t> strings(string_key_ids_.size(), kNone);
    std::vector<const std::string*> string_text(string_key_ids_.size());
    for (const auto& [text, id] : string_key_ids_) string_text[static_cast<std::size_t>(id)] = &text;
    for (std::size_t i = 0; i < raw_keys_.size(); ++i) {
      const std::int64_t raw = raw_keys_[i];
      std::uint32_t* slot;
      if (string_keys_[i]) {
        slot = &strings[static_cast<std::size_t>(raw)];
      } else if (dense) {
        slot = &by_value[static_cast<std::size_t>(raw - lo)];
      } else {
        slot = &ints.try_emplace(raw, kNone).first->second;
      }
      if (*slot == kNone) {
        *slot = static_cast<std::uint32_t>(out_.key_names.size());
        out_.key_names.push_back(string_keys_[i] ? *string_text[static_cast<std::size_t>(raw)]
                                                 : std::to_string(raw));
      }
      out_.mops[i].key = *slot;
    }
  }

  // The elements of every list read, copied in parallel (most of the history's bulk).
  void copy_lists() {
    std::uint64_t total = 0;
    for (Mop& m : out_.mops) {
      if (total + m.list_size > UINT32_MAX) {
        throw InputError(out_.source, out_.txns[m.txn].line, 1,
                         "more list elements than the checker can hold (2^32)");
      }
      m.list_begin = static_cast<std::uint32_t>(total);
      total += m.list_size;
    }
    out_.elements.resize(total);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, out_.mops.size(), 4096), [&](auto range) {
      for (std::size_t i = range.begin(); i != range.end(); ++i) {
        const boost::json::array* list = mop_sources_[i];
        if (!list) continue;
        Value* out = out_.elements.data() + out_.mops[i].list_begin;
        for (const boost::json::value& e : *list) *out++ = intern(e);
      }
    });
  }

  // Sets Mop::final_write and Mop::own_before (txns are short: quadratic is fine).
  void mark_order(const Txn& t) {
    Mop* first = out_.mops.data() + t.mop_begin;
    Mop* last = first + t.mop_count;
    for (Mop* m = first; m != last; ++m) {
      if (m->kind == MopKind::kRead) {
        unsigned own = 0;
        for (Mop* p = first; p != m; ++p) {
          own += p->kind != MopKind::kRead && raw_keys_[p - out_.mops.data()] == raw_keys_[m - out_.mops.data()] &&
                 string_keys_[p - out_.mops.data()] == string_keys_[m - out_.mops.data()];
        }
        m->own_before = static_cast<std::uint8_t>(own > 255 ? 255 : own);
      } else {
        m->final_write = true;
        for (Mop* n = m + 1; n != last; ++n) {
          if (n->kind != MopKind::kRead && raw_keys_[n - out_.mops.data()] == raw_keys_[m - out_.mops.data()] &&
              string_keys_[n - out_.mops.data()] == string_keys_[m - out_.mops.data()]) {
            m->final_write = false;
          }
        }
      }
    }
  }

  const History& history_;
  TxnHistory out_;
  std::vector<Pair> pairs_;
  std::vector<const Operation*> sources_;          // per txn: the op whose value is read
  std::vector<std::optional<InputError>> errors_;  // per txn, from parallel phases
  std::vector<const boost::json::array*> mop_sources_;  // per mop: a list read's elements
  std::vector<std::int64_t> raw_keys_;              // per mop: the integer key, or string id
  std::vector<std::uint8_t> string_keys_;           // per mop: raw_keys_ is a string id
  std::unordered_map<std::string, std::int64_t> string_key_ids_;
  std::mutex interning_;
};

}  // namespace

std::string_view to_string(Workload workload) {
  return workload == Workload::kListAppend ? "list-append" : "rw-register";
}

std::optional<Workload> parse_workload(std::string_view name) {
  if (name == "list-append") return Workload::kListAppend;
  if (name == "rw-register") return Workload::kRwRegister;
  return std::nullopt;
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk: return "ok";
    case Outcome::kFail: return "fail";
    case Outcome::kInfo: return "info";
  }
  return "?";
}

Value ValueTable::intern(const boost::json::value& value) {
  std::string text = boost::json::serialize(value);
  auto [it, added] = ids_.try_emplace(text, kNil + 1 + static_cast<Value>(texts_.size()));
  if (added) texts_.push_back(std::move(text));
  return it->second;
}

std::string ValueTable::text(Value value) const {
  if (value == kNil) return "nil";
  if (value > kNil && value <= kNil + static_cast<Value>(texts_.size())) {
    return texts_[static_cast<std::size_t>(value - kNil - 1)];
  }
  return std::to_string(value);
}

std::size_t ValueTable::memory_bytes() const {
  std::size_t bytes = texts_.capacity() * sizeof(std::string) * 2;
  for (const auto& t : texts_) bytes += 2 * t.capacity() + 32;
  return bytes;
}

std::size_t TxnHistory::memory_bytes() const {
  std::size_t bytes = txns.capacity() * sizeof(Txn) + mops.capacity() * sizeof(Mop) +
                      elements.capacity() * sizeof(Value) + values.memory_bytes();
  for (const auto& k : key_names) bytes += sizeof(std::string) + k.capacity() + 48;
  return bytes;
}

TxnHistory compile_txn_history(const History& history, Workload workload) {
  return Compiler(history, workload).run();
}

}  // namespace faultline::txn
