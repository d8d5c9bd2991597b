// Dependencies of a list-append history (Kingsbury & Alvaro, "Elle", VLDB 2020, §4).
//
// Every read of a key returns the whole list, so each read is a prefix of the key's
// final value: the longest read is the version order (reads that are not prefixes of
// it are an incompatible order). Appends by committed txns that no read observed
// still come after every observed element, since the final list holds them.

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <unordered_map>

#include "checker/txn/dependencies.h"
#include "checker/txn/key_index.h"

namespace faultline::txn {
namespace {

struct Local {
  std::vector<Edge> edges;
  std::vector<Case> cases;
};

class KeyAnalysis {
 public:
  KeyAnalysis(const TxnHistory& h, const KeyIndex& index, std::uint32_t key, Local& out)
      : h_(h),
        key_(key),
        out_(out),
        writers_(h, index.writes_of(key)),
        reads_(index.reads_of(key)) {}

  // Returns the mop of the read giving the version order, or kNone.
  std::uint32_t run() {
    if (reads_.empty()) return kNone;
    longest_ = *std::max_element(reads_.begin(), reads_.end(), [&](auto a, auto b) {
      return h_.mops[a].list_size < h_.mops[b].list_size;
    });
    const Mop& lm = h_.mops[longest_];
    order_ = h_.list(lm);
    n_ = lm.list_size;
    bool reliable = scan_order();
    std::vector<std::uint32_t> compatible;
    compatible.reserve(reads_.size());
    bool reported_incompatible = false;
    for (std::uint32_t r : reads_) {
      const Mop& m = h_.mops[r];
      if (std::equal(h_.list(m), h_.list(m) + m.list_size, order_)) {
        compatible.push_back(r);
        continue;
      }
      reliable = false;
      if (!reported_incompatible) {
        out_.cases.push_back(Case{CaseType::kIncompatibleOrder, key_, m.txn, r, lm.txn, longest_});
        reported_incompatible = true;
      }
      scan_incompatible(r);
    }
    for (std::uint32_t r : compatible) read_anomalies(r);
    find_lost_updates(compatible);
    if (reliable) {
      add_edges(compatible);
    } else {
      add_edges_as_elle();
    }
    return longest_;
  }

 private:
  bool failed(std::uint32_t mop) const {
    return h_.txns[h_.mops[mop].txn].outcome == Outcome::kFail;
  }

  // Writers along the longest read; garbage, duplicates, dirty updates. False if the
  // order cannot be trusted.
  bool scan_order() {
    pos_writer_.resize(n_);
    seen_.assign(writers_.size(), 0);
    bool reliable = true;
    std::uint32_t failed_writer = kNone;
    bool dirty_reported = false;
    const std::uint32_t reader = h_.mops[longest_].txn;
    for (std::size_t i = 0; i < n_; ++i) {
      const std::size_t slot = writers_.slot(order_[i]);
      if (slot == writers_.size()) {
        pos_writer_[i] = kNone;
        out_.cases.push_back(
            Case{CaseType::kGarbageRead, key_, reader, longest_, kNone, kNone, order_[i]});
        continue;
      }
      const std::uint32_t w = writers_.sorted()[slot].second;
      pos_writer_[i] = w;
      if (seen_[slot]++) {
        out_.cases.push_back(Case{CaseType::kDuplicateElements, key_, reader, longest_,
                                  h_.mops[w].txn, kNone, order_[i]});
        reliable = false;
      }
      if (failed(w)) {
        if (first_failed_ == SIZE_MAX) first_failed_ = i;
        if (failed_writer == kNone) failed_writer = w;
      } else if (failed_writer != kNone && !dirty_reported) {
        out_.cases.push_back(Case{CaseType::kDirtyUpdate, key_, h_.mops[failed_writer].txn,
                                  failed_writer, h_.mops[w].txn, w, h_.mops[failed_writer].value});
        dirty_reported = true;
      }
    }
    return reliable;
  }

  // A read that is no prefix of the order: its own garbage, duplicates and aborted reads.
  void scan_incompatible(std::uint32_t r) {
    const Mop& m = h_.mops[r];
    std::vector<Value> sorted(h_.list(m), h_.list(m) + m.list_size);
    std::sort(sorted.begin(), sorted.end());
    auto dup = std::adjacent_find(sorted.begin(), sorted.end());
    if (dup != sorted.end()) {
      out_.cases.push_back(Case{CaseType::kDuplicateElements, key_, m.txn, r, kNone, kNone, *dup});
    }
    bool g1a = false;
    for (std::size_t i = 0; i < m.list_size; ++i) {
      const Value v = h_.list(m)[i];
      const std::uint32_t w = writers_.find(v);
      if (w == WriterLookup::kNoMop) {
        out_.cases.push_back(Case{CaseType::kGarbageRead, key_, m.txn, r, kNone, kNone, v});
      } else if (failed(w) && !g1a) {
        out_.cases.push_back(Case{CaseType::kG1a, key_, m.txn, r, h_.mops[w].txn, w, v});
        g1a = true;
      }
    }
  }

  // Length of the part of read `m` that the txn observed from others, or -1 when its own
  // appends are not where they should be (an internal anomaly, reported elsewhere).
  long external_length(const Mop& m) const {
    const long ext = static_cast<long>(m.list_size) - m.own_before;
    if (ext < 0) return -1;
    for (std::size_t i = static_cast<std::size_t>(ext); i < m.list_size; ++i) {
      if (pos_writer_[i] == kNone || h_.mops[pos_writer_[i]].txn != m.txn) return -1;
    }
    return ext;
  }

  void read_anomalies(std::uint32_t r) {
    const Mop& m = h_.mops[r];
    if (first_failed_ < m.list_size) {
      const std::uint32_t w = pos_writer_[first_failed_];
      out_.cases.push_back(
          Case{CaseType::kG1a, key_, m.txn, r, h_.mops[w].txn, w, order_[first_failed_]});
    }
    const long ext = external_length(m);
    if (ext <= 0) return;
    const std::uint32_t w = pos_writer_[ext - 1];
    if (w == kNone || failed(w)) return;
    const Mop& wm = h_.mops[w];
    if (wm.txn != m.txn && !wm.final_write) {
      out_.cases.push_back(Case{CaseType::kG1b, key_, m.txn, r, wm.txn, w, wm.value});
    }
  }

  // Is `r` the txn's first micro-op on the key, followed later by an append to it?
  bool read_then_append(std::uint32_t r) const {
    const Mop& m = h_.mops[r];
    const Txn& t = h_.txns[m.txn];
    for (const Mop* p = h_.begin(t); p != h_.end(t); ++p) {
      if (p->key != key_) continue;
      if (p < &m) return false;
      if (p->kind == MopKind::kAppend) return true;
    }
    return false;
  }

  void find_lost_updates(const std::vector<std::uint32_t>& compatible) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> by_length;  // (length read, txn)
    for (std::uint32_t r : compatible) {
      if (read_then_append(r)) by_length.emplace_back(h_.mops[r].list_size, h_.mops[r].txn);
    }
    std::sort(by_length.begin(), by_length.end());
    for (std::size_t i = 1; i < by_length.size(); ++i) {
      if (by_length[i].first != by_length[i - 1].first) continue;
      if (i >= 2 && by_length[i - 2].first == by_length[i].first) continue;  // one case per version
      const std::uint32_t len = by_length[i].first;
      out_.cases.push_back(Case{CaseType::kLostUpdate, key_, by_length[i - 1].second, kNone,
                                by_length[i].second, kNone, len ? order_[len - 1] : kNil});
    }
  }

  std::uint32_t writer_txn(std::size_t pos) const {
    const std::uint32_t w = pos_writer_[pos];
    return w == kNone || failed(w) ? kNone : h_.mops[w].txn;
  }

  // ww edges along `writers` (the writer txn of each version in order; kNone skipped),
  // then from the last one to every committed writer nobody read. Returns those writers.
  std::vector<std::uint32_t> add_ww_chain(const std::vector<std::uint32_t>& writers) {
    std::uint32_t prev = kNone;
    for (std::uint32_t t : writers) {
      if (t == kNone) continue;
      if (prev != kNone && prev != t) out_.edges.push_back(Edge{prev, t, kWW});
      prev = t;
    }
    std::vector<std::uint32_t> unobserved = unobserved_writers();
    for (std::uint32_t t : unobserved) {
      if (prev != kNone && prev != t) out_.edges.push_back(Edge{prev, t, kWW});
    }
    return unobserved;
  }

  void add_edges(const std::vector<std::uint32_t>& compatible) {
    std::vector<std::uint32_t> writers(n_);
    for (std::size_t i = 0; i < n_; ++i) writers[i] = writer_txn(i);
    const std::vector<std::uint32_t> unobserved = add_ww_chain(writers);
    for (std::uint32_t r : compatible) {
      const Mop& m = h_.mops[r];
      const long ext = external_length(m);
      if (ext < 0) continue;
      std::uint32_t source = kNone;  // whose version the read observed
      if (ext > 0) {
        source = writer_txn(ext - 1);
        if (source != kNone && source != m.txn) out_.edges.push_back(Edge{source, m.txn, kWR});
      }
      std::size_t next = static_cast<std::size_t>(ext);
      while (next < n_ && writer_txn(next) == kNone) ++next;
      // When the next version is by the read's own source, the read was intermediate
      // (G1b) and the rw edge back to that writer closes a G-single: Elle reports both.
      if (next < n_) {
        const std::uint32_t w = writer_txn(next);
        if (w != m.txn) out_.edges.push_back(Edge{m.txn, w, kRW});
      } else {
        for (std::uint32_t t : unobserved) {
          if (t != m.txn) out_.edges.push_back(Edge{m.txn, t, kRW});
        }
      }
    }
  }

  // Committed txns with appends nobody read: after everything observed, in unknown order.
  std::vector<std::uint32_t> unobserved_writers() const {
    std::vector<std::uint32_t> unobserved;
    for (std::size_t s = 0; s < writers_.size(); ++s) {
      const Mop& w = h_.mops[writers_.sorted()[s].second];
      if (!seen_[s] && h_.txns[w.txn].outcome == Outcome::kOk) unobserved.push_back(w.txn);
    }
    std::sort(unobserved.begin(), unobserved.end());
    unobserved.erase(std::unique(unobserved.begin(), unobserved.end()), unobserved.end());
    return unobserved;
  }

  // A key whose reads cannot all be prefixes of one list (duplicates, incompatible
  // orders). Its order is not trusted, yet Elle still infers edges from it: the longest
  // read without repeats is the order, and every read sits at its last element (its own
  // appends included). The cycles these edges close are what Elle reports beside
  // incompatible-order and duplicate-elements (mostly G1c), so faultline reports them too;
  // the history is invalid at every model already.
  void add_edges_as_elle() {
    std::vector<std::uint32_t> writer;  // per distinct element of the order: its writer txn
    std::unordered_map<Value, std::size_t> position;
    for (std::size_t i = 0; i < n_; ++i) {
      if (position.try_emplace(order_[i], writer.size()).second) writer.push_back(writer_txn(i));
    }
    const std::vector<std::uint32_t> unobserved = add_ww_chain(writer);
    for (std::uint32_t r : reads_) {
      const Mop& m = h_.mops[r];
      std::size_t next = 0;
      if (m.list_size > 0) {
        auto at = position.find(h_.list(m)[m.list_size - 1]);
        if (at == position.end()) continue;  // its last element is in no order
        const std::uint32_t source = writer[at->second];
        if (source != kNone && source != m.txn) out_.edges.push_back(Edge{source, m.txn, kWR});
        next = at->second + 1;
      }
      while (next < writer.size() && writer[next] == kNone) ++next;
      if (next < writer.size()) {
        if (writer[next] != m.txn) out_.edges.push_back(Edge{m.txn, writer[next], kRW});
      } else {
        for (std::uint32_t t : unobserved) {
          if (t != m.txn) out_.edges.push_back(Edge{m.txn, t, kRW});
        }
      }
    }
  }

  const TxnHistory& h_;
  std::uint32_t key_;
  Local& out_;
  WriterLookup writers_;
  std::span<const std::uint32_t> reads_;
  std::uint32_t longest_ = kNone;
  const Value* order_ = nullptr;
  std::size_t n_ = 0;
  std::vector<std::uint32_t> pos_writer_;  // mop that wrote each element of the order
  std::vector<std::uint8_t> seen_;         // per WriterLookup slot: appears in the order
  std::size_t first_failed_ = SIZE_MAX;    // first element of the order by a failed txn
};

}  // namespace

Dependencies infer_list_append(const TxnHistory& h) {
  KeyIndex index(h);
  Dependencies deps;
  deps.version_order.assign(index.keys(), kNone);
  tbb::enumerable_thread_specific<Local> locals;
  tbb::parallel_for(
      tbb::blocked_range<std::uint32_t>(0, static_cast<std::uint32_t>(index.keys()), 64),
      [&](auto range) {
        Local& local = locals.local();
        for (std::uint32_t k = range.begin(); k != range.end(); ++k) {
          deps.version_order[k] = KeyAnalysis(h, index, k, local).run();
        }
      });
  std::size_t edges = 0;
  for (auto& l : locals) edges += l.edges.size();
  deps.edges.reserve(edges);
  for (auto& l : locals) {
    deps.edges.insert(deps.edges.end(), l.edges.begin(), l.edges.end());
    deps.cases.insert(deps.cases.end(), l.cases.begin(), l.cases.end());
  }
  find_internal_anomalies(h, deps.cases);
  return deps;
}

}  // namespace faultline::txn
