#include "checker/txn/txn_history.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <climits>
#include <mutex>

#include "checker/history/pairing.h"

namespace faultline::txn {
namespace {

// Integers this close to kNil are interned like any other value, so ids never collide.
constexpr Value kInternedSpan = Value{1} << 32;
constexpr std::uint32_t kNone = UINT32_MAX;

// Compiling touches every JSON node of the history once; the history lives in many
// small heap blocks, so the work is bound by memory latency. It runs in one parallel
// pass over fixed chunks of transactions, each compiled into buffers of its own (so
// every list is read while its micro-op is still in cache); the micro-ops are then
// copied into one array, the list elements stay in their chunk's block. An error stops
// its chunk; the earliest in history order is thrown.
class Compiler {
 public:
  Compiler(const History& history, ObjectKind workload) : history_(history) {
    out_.workload = workload;
    out_.source = history.source;
    out_.history_ops = history.ops.size();
    out_.processes_known = history.processes_known;
  }

  TxnHistory run() {
    pair();
    const std::size_t n = pairs_.size();
    out_.txns.resize(n);
    chunks_.resize((n + kChunkTxns - 1) / kChunkTxns);
    tbb::parallel_for(std::size_t{0}, chunks_.size(), [&](std::size_t c) { compile_chunk(c); });
    for (const Chunk& c : chunks_) {
      if (c.error) throw *c.error;
    }
    place_chunks();
    intern_keys();
    return std::move(out_);
  }

 private:
  static constexpr std::size_t kChunkTxns = 1024;

  struct Pair {
    std::size_t invoke = 0;
    std::size_t completion = SIZE_MAX;
    OpType outcome = OpType::kInfo;
  };

  // One chunk's micro-ops and list elements; Txn::mop_begin is chunk-relative until
  // place_chunks. The elements stay where they are (TxnHistory::element_blocks).
  struct Chunk {
    std::vector<Mop> mops;
    std::vector<Value> elements;
    std::vector<std::uint32_t> list_offsets;  // per mop: its list's start in `elements`
    std::vector<std::int64_t> raw_keys;       // per mop: the integer key, or string id
    std::vector<std::uint8_t> string_keys;    // per mop: raw_keys is a string id
    std::optional<InputError> error;
    std::size_t mop_base = 0;
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

  [[noreturn]] void fail(const Operation& op, const std::string& problem) const {
    throw InputError(history_.source, op.line, 1, problem);
  }

  void compile_chunk(std::size_t c) {
    Chunk& chunk = chunks_[c];
    const std::size_t first = c * kChunkTxns;
    const std::size_t last = std::min(first + kChunkTxns, pairs_.size());
    chunk.mops.reserve((last - first) * 4);
    chunk.raw_keys.reserve((last - first) * 4);
    chunk.string_keys.reserve((last - first) * 4);
    chunk.list_offsets.reserve((last - first) * 4);
    try {
      for (std::size_t t = first; t != last; ++t) {
        if (t + 20 < last) prefetch_ops(t + 20);
        if (t + 12 < last) prefetch(t + 12, 0);
        if (t + 8 < last) prefetch(t + 8, 1);
        if (t + 4 < last) prefetch(t + 4, 2);
        compile_txn(chunk, t);
      }
    } catch (const InputError& e) {
      chunk.error = e;
      return;
    }
    for (std::size_t i = 0; i < chunk.mops.size(); ++i) {
      if (chunk.mops[i].list_size)
        chunk.mops[i].list = chunk.elements.data() + chunk.list_offsets[i];
    }
    std::vector<std::uint32_t>().swap(chunk.list_offsets);
  }

  // The JSON of a txn is a tree of separate heap blocks; walking it is a chain of cache
  // misses. Compiling txn t prefetches, a few txns ahead, one level of the tree at a
  // time (the operations, then 0: the txn's micro-op list, 1: each micro-op, 2: each
  // list read), so the
  // misses overlap instead of following one another.
  const boost::json::value& source_value(std::size_t i) const {
    const Pair& p = pairs_[i];
    if (p.completion != SIZE_MAX && p.outcome == OpType::kOk) {
      const boost::json::value& v = history_.ops[p.completion].value;
      if (!v.is_null()) return v;
    }
    return history_.ops[p.invoke].value;
  }

  void prefetch_ops(std::size_t i) const {
    const Pair& p = pairs_[i];
    const Operation* ops = history_.ops.data();
    __builtin_prefetch(reinterpret_cast<const char*>(ops + p.invoke) + offsetof(Operation, value));
    if (p.completion != SIZE_MAX) {
      __builtin_prefetch(reinterpret_cast<const char*>(ops + p.completion) +
                         offsetof(Operation, value));
    }
  }

  void prefetch(std::size_t i, int level) const {
    const boost::json::value& v = source_value(i);
    if (!v.is_array()) return;
    const boost::json::array& mops = v.get_array();
    if (level == 0) {
      __builtin_prefetch(mops.data());
      return;
    }
    for (const boost::json::value& mop : mops) {
      if (!mop.is_array()) continue;
      const boost::json::array& a = mop.get_array();
      if (level == 1) {
        __builtin_prefetch(a.data());
      } else if (a.size() == 3 && a[2].is_array()) {
        const auto* list = reinterpret_cast<const char*>(a[2].get_array().data());
        const std::size_t bytes =
            std::min<std::size_t>(a[2].get_array().size(), 32) * sizeof(boost::json::value);
        for (std::size_t b = 0; b < bytes; b += 64) __builtin_prefetch(list + b);
      }
    }
  }

  void compile_txn(Chunk& chunk, std::size_t i) {
    const Pair& p = pairs_[i];
    const Operation& invoke = history_.ops[p.invoke];
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
      // Every client operation is read as a transaction, whatever its f: its value decides.
      fail(*source, "operation" + (source->f.empty() ? std::string() : " '" + source->f + "'") +
                        " has the value " + boost::json::serialize(source->value) +
                        ", not a list of micro-ops [f, key, value] (the " +
                        std::string(to_string(out_.workload)) +
                        " model reads every client operation as a transaction)");
    }
    const auto& mops = source->value.get_array();
    t.mop_begin = static_cast<std::uint32_t>(chunk.mops.size());
    t.mop_count = static_cast<std::uint32_t>(mops.size());
    const bool ok = t.outcome == Outcome::kOk;
    for (const boost::json::value& mop : mops) {
      add_mop(chunk, *source, mop, static_cast<std::uint32_t>(i), ok);
    }
    mark_order(chunk, t);
  }

  void add_mop(Chunk& chunk, const Operation& op, const boost::json::value& json, std::uint32_t txn,
               bool ok) {
    const bool list_append = out_.workload == ObjectKind::kListAppend;
    const char* expected = list_append ? "append and r" : "w and r";
    if (!json.is_array() || json.get_array().size() != 3 || !json.get_array()[0].is_string()) {
      fail(op, "malformed micro-op " + boost::json::serialize(json) +
                   " (expected [f, key, value] with f one of " + expected + ")");
    }
    const auto& a = json.get_array();
    const std::string_view f = a[0].get_string();
    Mop& m = chunk.mops.emplace_back();
    m.txn = txn;
    chunk.list_offsets.push_back(0);
    if (a[1].is_int64()) {
      chunk.raw_keys.push_back(a[1].get_int64());
      chunk.string_keys.push_back(0);
    } else {
      std::lock_guard<std::mutex> lock(interning_);
      auto [it, added] = string_key_ids_.try_emplace(
          boost::json::serialize(a[1]), static_cast<std::int64_t>(string_key_ids_.size()));
      chunk.raw_keys.push_back(it->second);
      chunk.string_keys.push_back(1);
    }
    if (f == "r") {
      m.kind = MopKind::kRead;
      m.read_known = ok;
      if (!ok) return;
      if (!list_append) {
        m.value = a[2].is_null() ? kNil : intern(a[2]);
      } else if (a[2].is_array()) {
        const auto& list = a[2].get_array();
        if (chunk.elements.size() + list.size() > UINT32_MAX) {
          fail(op, "more list elements than the checker can hold (2^32)");
        }
        chunk.list_offsets.back() = static_cast<std::uint32_t>(chunk.elements.size());
        m.list_size = static_cast<std::uint32_t>(list.size());
        const std::size_t at = chunk.elements.size();
        chunk.elements.resize(at + list.size());
        Value* out = chunk.elements.data() + at;
        for (const boost::json::value& e : list) *out++ = intern(e);
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

  // Sets Mop::final_write and Mop::own_before (txns are short: quadratic is fine).
  static void mark_order(Chunk& chunk, const Txn& t) {
    const std::size_t first = t.mop_begin, last = first + t.mop_count;
    auto same_key = [&](std::size_t a, std::size_t b) {
      return chunk.raw_keys[a] == chunk.raw_keys[b] && chunk.string_keys[a] == chunk.string_keys[b];
    };
    for (std::size_t i = first; i != last; ++i) {
      Mop& m = chunk.mops[i];
      if (m.kind == MopKind::kRead) {
        unsigned own = 0;
        for (std::size_t p = first; p != i; ++p) {
          own += chunk.mops[p].kind != MopKind::kRead && same_key(p, i);
        }
        m.own_before = static_cast<std::uint8_t>(own > 255 ? 255 : own);
      } else {
        m.final_write = true;
        for (std::size_t n = i + 1; n != last; ++n) {
          if (chunk.mops[n].kind != MopKind::kRead && same_key(n, i)) m.final_write = false;
        }
      }
    }
  }

  // Global offsets, then every chunk's micro-ops copied into place in parallel; the
  // element blocks move into the history as they are.
  void place_chunks() {
    std::uint64_t mops = 0;
    for (Chunk& c : chunks_) {
      c.mop_base = mops;
      mops += c.mops.size();
      if (mops > UINT32_MAX) {
        const std::size_t txn = static_cast<std::size_t>(&c - chunks_.data()) * kChunkTxns;
        throw InputError(out_.source, out_.txns[txn].line, 1, "too many micro-ops (2^32)");
      }
    }
    out_.mops.resize(mops);
    tbb::parallel_for(std::size_t{0}, chunks_.size(), [&](std::size_t ci) {
      Chunk& c = chunks_[ci];
      const std::size_t first = ci * kChunkTxns;
      const std::size_t last = std::min(first + kChunkTxns, out_.txns.size());
      for (std::size_t t = first; t != last; ++t)
        out_.txns[t].mop_begin += static_cast<std::uint32_t>(c.mop_base);
      std::copy(c.mops.begin(), c.mops.end(),
                out_.mops.begin() + static_cast<std::ptrdiff_t>(c.mop_base));
      std::vector<Mop>().swap(c.mops);
    });
    out_.element_blocks.reserve(chunks_.size());
    for (Chunk& c : chunks_) {
      if (!c.elements.empty()) out_.element_blocks.push_back(std::move(c.elements));
    }
  }

  // Dense key ids in order of first appearance; integer keys in a modest range go
  // through an array instead of a hash map.
  void intern_keys() {
    std::int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (const Chunk& c : chunks_) {
      for (std::size_t i = 0; i < c.raw_keys.size(); ++i) {
        if (c.string_keys[i]) continue;
        lo = std::min(lo, c.raw_keys[i]);
        hi = std::max(hi, c.raw_keys[i]);
      }
    }
    const bool dense = lo <= hi && static_cast<std::uint64_t>(hi - lo) < (std::uint64_t{1} << 26);
    std::vector<std::uint32_t> by_value(dense ? static_cast<std::size_t>(hi - lo + 1) : 0, kNone);
    std::unordered_map<std::int64_t, std::uint32_t> ints;
    std::vector<std::uint32_t> strings(string_key_ids_.size(), kNone);
    std::vector<const std::string*> string_text(string_key_ids_.size());
    for (const auto& [text, id] : string_key_ids_)
      string_text[static_cast<std::size_t>(id)] = &text;
    for (const Chunk& c : chunks_) {
      Mop* out = out_.mops.data() + c.mop_base;
      for (std::size_t i = 0; i < c.raw_keys.size(); ++i) {
        const std::int64_t raw = c.raw_keys[i];
        std::uint32_t* slot;
        if (c.string_keys[i]) {
          slot = &strings[static_cast<std::size_t>(raw)];
        } else if (dense) {
          slot = &by_value[static_cast<std::size_t>(raw - lo)];
        } else {
          slot = &ints.try_emplace(raw, kNone).first->second;
        }
        if (*slot == kNone) {
          *slot = static_cast<std::uint32_t>(out_.key_names.size());
          out_.key_names.push_back(c.string_keys[i] ? *string_text[static_cast<std::size_t>(raw)]
                                                    : std::to_string(raw));
        }
        out[i].key = *slot;
      }
    }
  }

  const History& history_;
  TxnHistory out_;
  std::vector<Pair> pairs_;
  std::vector<Chunk> chunks_;
  std::unordered_map<std::string, std::int64_t> string_key_ids_;
  std::mutex interning_;
};

}  // namespace

std::string_view to_string(ObjectKind workload) {
  return workload == ObjectKind::kListAppend ? "list-append" : "rw-register";
}

std::optional<ObjectKind> parse_object_kind(std::string_view name) {
  if (name == "list-append") return ObjectKind::kListAppend;
  if (name == "rw-register") return ObjectKind::kRwRegister;
  return std::nullopt;
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kFail:
      return "fail";
    case Outcome::kInfo:
      return "info";
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
  std::size_t bytes =
      txns.capacity() * sizeof(Txn) + mops.capacity() * sizeof(Mop) + values.memory_bytes();
  for (const auto& block : element_blocks) bytes += block.size() * sizeof(Value);
  for (const auto& k : key_names) bytes += sizeof(std::string) + k.capacity() + 48;
  return bytes;
}

TxnHistory compile_txn_history(const History& history, ObjectKind workload) {
  return Compiler(history, workload).run();
}

}  // namespace faultline::txn
