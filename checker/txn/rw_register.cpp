// Dependencies of a rw-register history (Elle §5, without extra assumptions).
//
// A read reveals only which write it saw, so version orders come from the txns
// themselves: nil (never written) precedes every version, and a txn that read v1 of a
// key and then wrote v2 to it places v1 before v2 ("writes follow reads"). Writes must
// carry unique values per key.

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>

#include "checker/txn/dependencies.h"
#include "checker/txn/key_index.h"

namespace faultline::txn {
namespace {

struct RegisterLocal {
  std::vector<Edge> edges;
  std::vector<Case> cases;
};

// The first micro-op of `txn` on `key` if it is a read, and the txn's final write to
// the key after it (or nullptr).
struct ExternalRead {
  const Mop* read = nullptr;
  const Mop* write = nullptr;
};

ExternalRead external_read(const TxnHistory& h, const Mop& m) {
  ExternalRead out;
  const Txn& t = h.txns[m.txn];
  for (const Mop* p = h.begin(t); p != h.end(t); ++p) {
    if (p->key != m.key) continue;
    if (!out.read) {
      if (p != &m) return {};
      out.read = p;
    } else if (p->kind == MopKind::kWrite && p->final_write) {
      out.write = p;
    }
  }
  return out;
}

void analyse_key(const TxnHistory& h, const KeyIndex& index, std::uint32_t key,
                 RegisterLocal& out) {
  WriterLookup writers(h, index.writes_of(key));
  auto failed = [&](std::uint32_t mop) {
    return h.txns[h.mops[mop].txn].outcome == Outcome::kFail;
  };
  // (version read, reader txn, the reader's later write or kNone), for external reads.
  struct Observation {
    Value read;
    std::uint32_t txn;
    std::uint32_t write;
  };
  std::vector<Observation> observations;
  for (std::uint32_t r : index.reads_of(key)) {
    const Mop& m = h.mops[r];
    ExternalRead ext = external_read(h, m);
    if (!ext.read) continue;
    const std::uint32_t write_mop =
        ext.write ? static_cast<std::uint32_t>(ext.write - h.mops.data()) : kNone;
    observations.push_back(Observation{m.value, m.txn, write_mop});
    if (m.value == kNil) continue;
    const std::uint32_t w = writers.find(m.value);
    if (w == WriterLookup::kNoMop) {
      out.cases.push_back(Case{CaseType::kGarbageRead, key, m.txn, r, kNone, kNone, m.value});
      continue;
    }
    const Mop& wm = h.mops[w];
    if (failed(w)) {
      out.cases.push_back(Case{CaseType::kG1a, key, m.txn, r, wm.txn, w, m.value});
      continue;
    }
    if (wm.txn == m.txn) continue;  // read its own later write: internal, reported elsewhere
    if (!wm.final_write)
      out.cases.push_back(Case{CaseType::kG1b, key, m.txn, r, wm.txn, w, m.value});
    out.edges.push_back(Edge{wm.txn, m.txn, kWR});
  }
  // Writes follow reads: successors of each version, and lost updates.
  std::sort(observations.begin(), observations.end(), [](const auto& a, const auto& b) {
    return a.read != b.read ? a.read < b.read : a.txn < b.txn;
  });
  std::vector<char> has_predecessor(writers.size(), 0);
  auto writer_txn = [&](Value v) -> std::uint32_t {
    if (v == kNil) return kNone;
    const std::uint32_t w = writers.find(v);
    return w == WriterLookup::kNoMop || failed(w) ? kNone : h.mops[w].txn;
  };
  for (std::size_t i = 0; i < observations.size();) {
    std::size_t j = i;
    std::vector<std::uint32_t> successors;  // txns installing a version after this one
    while (j < observations.size() && observations[j].read == observations[i].read) {
      if (observations[j].write != kNone) {
        successors.push_back(observations[j].txn);
        if (observations[i].read != kNil) {
          has_predecessor[writers.slot(h.mops[observations[j].write].value)] = 1;
        }
      }
      ++j;
    }
    const Value version = observations[i].read;
    if (successors.size() >= 2) {
      out.cases.push_back(
          Case{CaseType::kLostUpdate, key, successors[0], kNone, successors[1], kNone, version});
    }
    const std::uint32_t writer = writer_txn(version);
    for (std::uint32_t s : successors) {
      if (writer != kNone && writer != s) out.edges.push_back(Edge{writer, s, kWW});
    }
    for (std::size_t k = i; k < j; ++k) {
      for (std::uint32_t s : successors) {
        if (s != observations[k].txn) out.edges.push_back(Edge{observations[k].txn, s, kRW});
      }
    }
    i = j;
  }
  // nil precedes every version: readers of nil come before the first committed writers.
  std::vector<std::uint32_t> first_writers;
  for (std::size_t s = 0; s < writers.size(); ++s) {
    const Mop& w = h.mops[writers.sorted()[s].second];
    if (!has_predecessor[s] && w.final_write && h.txns[w.txn].outcome == Outcome::kOk) {
      first_writers.push_back(w.txn);
    }
  }
  for (const Observation& o : observations) {
    if (o.read != kNil) break;  // kNil sorts first
    for (std::uint32_t t : first_writers) {
      if (t != o.txn) out.edges.push_back(Edge{o.txn, t, kRW});
    }
  }
}

}  // namespace

Dependencies infer_rw_register(const TxnHistory& h) {
  KeyIndex index(h);
  Dependencies deps;
  tbb::enumerable_thread_specific<RegisterLocal> locals;
  tbb::parallel_for(
      tbb::blocked_range<std::uint32_t>(0, static_cast<std::uint32_t>(index.keys()), 64),
      [&](auto range) {
        RegisterLocal& local = locals.local();
        for (std::uint32_t k = range.begin(); k != range.end(); ++k) {
          analyse_key(h, index, k, local);
        }
      });
  for (auto& l : locals) {
    deps.edges.insert(deps.edges.end(), l.edges.begin(), l.edges.end());
    deps.cases.insert(deps.cases.end(), l.cases.begin(), l.cases.end());
  }
  find_internal_anomalies(h, deps.cases);
  return deps;
}

}  // namespace faultline::txn
