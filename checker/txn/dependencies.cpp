#include "checker/txn/dependencies.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>

#include "checker/history/input_error.h"
#include "checker/txn/key_index.h"

namespace faultline::txn {

std::string_view edge_name(std::uint8_t bit) {
  switch (bit) {
    case kWW:
      return "ww";
    case kWR:
      return "wr";
    case kRW:
      return "rw";
    case kProcess:
      return "process";
    case kRealtime:
      return "realtime";
  }
  return "?";
}

std::string_view case_name(CaseType type) {
  switch (type) {
    case CaseType::kG1a:
      return "G1a";
    case CaseType::kG1b:
      return "G1b";
    case CaseType::kInternal:
      return "internal";
    case CaseType::kFutureRead:
      return "future-read";
    case CaseType::kLostUpdate:
      return "lost-update";
    case CaseType::kDirtyUpdate:
      return "dirty-update";
    case CaseType::kDuplicateElements:
      return "duplicate-elements";
    case CaseType::kIncompatibleOrder:
      return "incompatible-order";
    case CaseType::kGarbageRead:
      return "garbage-read";
  }
  return "?";
}

KeyIndex::KeyIndex(const TxnHistory& h) {
  const std::size_t keys = h.key_names.size();
  write_offsets.assign(keys + 1, 0);
  read_offsets.assign(keys + 1, 0);
  for (const Mop& m : h.mops) {
    if (m.kind != MopKind::kRead) {
      ++write_offsets[m.key + 1];
    } else if (m.read_known) {
      ++read_offsets[m.key + 1];
    }
  }
  for (std::size_t k = 0; k < keys; ++k) {
    write_offsets[k + 1] += write_offsets[k];
    read_offsets[k + 1] += read_offsets[k];
  }
  writes.resize(write_offsets[keys]);
  reads.resize(read_offsets[keys]);
  std::vector<std::uint32_t> wnext(write_offsets.begin(), write_offsets.end() - 1);
  std::vector<std::uint32_t> rnext(read_offsets.begin(), read_offsets.end() - 1);
  for (std::uint32_t i = 0; i < h.mops.size(); ++i) {
    const Mop& m = h.mops[i];
    if (m.kind != MopKind::kRead) {
      writes[wnext[m.key]++] = i;
    } else if (m.read_known) {
      reads[rnext[m.key]++] = i;
    }
  }
}

WriterLookup::WriterLookup(const TxnHistory& h, std::span<const std::uint32_t> writes) {
  sorted_.reserve(writes.size());
  for (std::uint32_t mop : writes) sorted_.emplace_back(h.mops[mop].value, mop);
  std::sort(sorted_.begin(), sorted_.end());
  for (std::size_t i = 1; i < sorted_.size(); ++i) {
    if (sorted_[i].first != sorted_[i - 1].first) continue;
    const Mop& a = h.mops[sorted_[i - 1].second];
    const Mop& b = h.mops[sorted_[i].second];
    const Txn& ta = h.txns[a.txn];
    const Txn& tb = h.txns[b.txn];
    const Txn& later = ta.line > tb.line ? ta : tb;
    throw InputError(h.source, later.line, 1,
                     "value " + h.values.text(a.value) + " is written to key " +
                         h.key_names[a.key] + " twice (lines " + std::to_string(ta.line) + " and " +
                         std::to_string(tb.line) +
                         "); the checker needs unique values per key to infer version orders");
  }
}

std::size_t WriterLookup::slot(Value value) const {
  auto it = std::lower_bound(sorted_.begin(), sorted_.end(), std::make_pair(value, 0u));
  if (it == sorted_.end() || it->first != value) return sorted_.size();
  return static_cast<std::size_t>(it - sorted_.begin());
}

std::uint32_t WriterLookup::find(Value value) const {
  std::size_t s = slot(value);
  return s == sorted_.size() ? kNoMop : sorted_[s].second;
}

namespace {

// What a txn knows about one key so far: the whole value (after a read), or only
// the suffix it appended itself (list-append) / its last write (rw-register).
struct KeyState {
  std::uint32_t key = 0;
  bool known = false;       // a read fixed the whole value
  std::vector<Value> list;  // list-append: the value (known) or own appends (!known)
  Value value = kNil;       // rw-register
  bool wrote = false;       // rw-register: value is the txn's own write
};

bool list_consistent(const TxnHistory& h, const Mop& read, const KeyState& s) {
  const Value* got = h.list(read);
  const std::size_t n = read.list_size;
  if (s.known) return n == s.list.size() && std::equal(got, got + n, s.list.begin());
  return n >= s.list.size() && std::equal(s.list.begin(), s.list.end(), got + n - s.list.size());
}

// The first read of `write`'s key before `write` in `txn` that already shows the value
// `write` appends or writes (a future read), or nullptr.
const Mop* earlier_read_of(const TxnHistory& h, const Txn& txn, const Mop& write) {
  for (const Mop* p = h.begin(txn); p != &write; ++p) {
    if (p->kind != MopKind::kRead || p->key != write.key) continue;
    if (h.workload == ObjectKind::kListAppend) {
      const Value* list = h.list(*p);
      if (std::find(list, list + p->list_size, write.value) != list + p->list_size) return p;
    } else if (p->value == write.value) {
      return p;
    }
  }
  return nullptr;
}

}  // namespace

void find_internal_anomalies(const TxnHistory& h, std::vector<Case>& out) {
  tbb::enumerable_thread_specific<std::vector<Case>> found;
  const bool lists = h.workload == ObjectKind::kListAppend;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, h.txns.size(), 4096), [&](auto range) {
    std::vector<KeyState> states;
    for (std::size_t t = range.begin(); t != range.end(); ++t) {
      const Txn& txn = h.txns[t];
      if (txn.outcome != Outcome::kOk || txn.mop_count < 2) continue;  // reads known only if ok
      states.clear();
      for (const Mop* m = h.begin(txn); m != h.end(txn); ++m) {
        auto it = std::find_if(states.begin(), states.end(),
                               [&](const KeyState& s) { return s.key == m->key; });
        if (it == states.end()) {
          states.emplace_back();
          states.back().key = m->key;
          it = states.end() - 1;
        }
        KeyState& s = *it;
        if (m->kind != MopKind::kRead) {
          if (const Mop* seen = earlier_read_of(h, txn, *m)) {
            found.local().push_back(Case{CaseType::kFutureRead, m->key,
                                         static_cast<std::uint32_t>(t),
                                         static_cast<std::uint32_t>(seen - h.mops.data()), kNone,
                                         static_cast<std::uint32_t>(m - h.mops.data()), m->value});
          }
        }
        if (m->kind == MopKind::kAppend) {
          s.list.push_back(m->value);
        } else if (m->kind == MopKind::kWrite) {
          s.value = m->value;
          s.wrote = s.known = true;
        } else if (lists) {
          if (!list_consistent(h, *m, s)) {
            found.local().push_back(Case{CaseType::kInternal, m->key, static_cast<std::uint32_t>(t),
                                         static_cast<std::uint32_t>(m - h.mops.data())});
          }
          s.list.assign(h.list(*m), h.list(*m) + m->list_size);
          s.known = true;
        } else {
          if (s.known && s.value != m->value) {
            found.local().push_back(Case{CaseType::kInternal, m->key, static_cast<std::uint32_t>(t),
                                         static_cast<std::uint32_t>(m - h.mops.data())});
          }
          s.value = m->value;
          s.known = true;
          s.wrote = false;
        }
      }
    }
  });
  for (auto& local : found) out.insert(out.end(), local.begin(), local.end());
}

// Expected value of an internal read, in words (for explanations).
std::string expected_internal_read(const TxnHistory& h, std::uint32_t txn, std::uint32_t read_mop) {
  const Txn& t = h.txns[txn];
  const Mop& read = h.mops[read_mop];
  KeyState s;
  s.key = read.key;
  for (const Mop* m = h.begin(t); m != h.mops.data() + read_mop; ++m) {
    if (m->key != read.key) continue;
    if (m->kind == MopKind::kAppend) {
      s.list.push_back(m->value);
    } else if (m->kind == MopKind::kWrite) {
      s.value = m->value;
      s.wrote = s.known = true;
    } else if (h.workload == ObjectKind::kListAppend) {
      s.list.assign(h.list(*m), h.list(*m) + m->list_size);
      s.known = true;
    } else {
      s.value = m->value;
      s.known = true;
      s.wrote = false;
    }
  }
  if (h.workload == ObjectKind::kRwRegister) {
    return h.values.text(s.value) + (s.wrote ? " (its own write)" : " (its earlier read)");
  }
  std::string list = "[";
  for (std::size_t i = 0; i < s.list.size(); ++i) {
    if (i) list += ' ';
    list += h.values.text(s.list[i]);
  }
  list += "]";
  return s.known ? list + " (its earlier read plus its own appends)"
                 : "a list ending in " + list + " (its own appends)";
}

}  // namespace faultline::txn
