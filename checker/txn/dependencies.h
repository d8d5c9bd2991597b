#pragma once
// Dependencies: what a transactional history reveals, before any cycle is searched.
//
// The inference for each workload (list_append.cpp, rw_register.cpp) reads the
// compiled history key by key and produces
// - edges between committed transactions (Adya's direct dependencies): ww (T2 installed
//   the version after T1's), wr (T2 read T1's version), rw (T1 read a version that T2's
//   write replaced);
// - the anomalies that need no cycle: aborted and intermediate reads, reads no write could
//   produce, duplicate elements, incompatible orders, internal inconsistencies, lost and
//   dirty updates.
// `fail` transactions never get edges; `info` transactions get them only through
// writes that someone observed (so they committed).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "checker/txn/txn_history.h"

namespace faultline::txn {

// Edge types are bits: two transactions may be ordered for several reasons at once.
enum EdgeBits : std::uint8_t {
  kWW = 1,
  kWR = 2,
  kRW = 4,
  kProcess = 8,    // the same process ran the first before the second
  kRealtime = 16,  // the first completed before the second was invoked
};
inline constexpr std::uint8_t kDataEdges = kWW | kWR | kRW;
std::string_view edge_name(std::uint8_t single_bit);  // "ww", "wr", "rw", "process", "realtime"

struct Edge {
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  std::uint8_t type = 0;
};

enum class CaseType : std::uint8_t {
  kG1a,                // read a write of a failed txn
  kG1b,                // read a version that its writer later overwrote in the same txn
  kInternal,           // a txn's read disagrees with its own earlier reads and writes
  kFutureRead,         // a txn's read shows a value the txn itself writes only later
  kLostUpdate,         // two committed txns read the same version of a key and both wrote it
  kDirtyUpdate,        // a committed write was ordered after a failed txn's write
  kDuplicateElements,  // a list read holds the same element twice
  kIncompatibleOrder,  // two reads of a list where neither is a prefix of the other
  kGarbageRead,        // a read of a value no write (of any outcome) produced
};
std::string_view case_name(CaseType type);  // "G1a", "lost-update", ...
inline constexpr std::uint32_t kNone = UINT32_MAX;

// One non-cycle anomaly. Field meanings per type:
//   G1a, G1b, garbage-read, duplicate-elements: txn/mop = the read, other = the writer
//     (kNone for garbage), value = the offending element or value;
//   internal: txn/mop = the read that disagrees;
//   future-read: txn/mop = the read, other_mop = the later append/write, value = the value;
//   lost-update: txn and other = the two txns, value = the version both read (kNil: none);
//   dirty-update: txn = the failed writer, other = the committed writer after it;
//   incompatible-order: txn/mop and other/other_mop = the two reads.
struct Case {
  CaseType type = CaseType::kG1a;
  std::uint32_t key = 0;
  std::uint32_t txn = kNone;
  std::uint32_t mop = kNone;
  std::uint32_t other = kNone;
  std::uint32_t other_mop = kNone;
  Value value = kNil;
};

struct Dependencies {
  std::vector<Edge> edges;  // data edges only; duplicates allowed
  std::vector<Case> cases;
  // list-append: per key, the mop of the longest read (the inferred version order, not
  // trusted when the key also has a duplicate-elements or incompatible-order case);
  // kNone when the key was never read.
  std::vector<std::uint32_t> version_order;
};

// Both run in the current oneTBB arena. Throw InputError (naming both lines) when a
// value is written twice to one key.
Dependencies infer_list_append(const TxnHistory& history);
Dependencies infer_rw_register(const TxnHistory& history);

// Internal consistency of every ok txn, over the whole txn (Elle's internal cases):
// kInternal when a read disagrees with the txn's earlier reads and writes of the key;
// kFutureRead when a read already shows a value that a later micro-op of the same txn
// appends (list-append) or writes (rw-register). Values are unique per key, so such a
// read saw the txn's own future: a one-transaction cycle T -wr-> T (circular information
// flow, G1c), proscribed from read-committed up (Elle: from read-atomic up).
void find_internal_anomalies(const TxnHistory& history, std::vector<Case>& out);
// What the read `read_mop` of `txn` should have returned, given the txn's earlier
// micro-ops on that key, in words (for explaining a kInternal case).
std::string expected_internal_read(const TxnHistory& history, std::uint32_t txn,
                                   std::uint32_t read_mop);

}  // namespace faultline::txn
