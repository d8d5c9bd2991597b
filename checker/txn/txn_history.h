#pragma once
// TxnHistory: a history of transactions compiled for the isolation checker.
//
// A transaction is a client operation whose value is a list of micro-operations
// [f, key, value], whatever the operation's own f ("txn", "read", "write", or none: Jepsen
// tests record transactions under several; Elle, too, lets the micro-ops decide):
// - list-append: ["append", k, v] appends v to the list at k; ["r", k, [v...]] reads it
//   (null reads as the empty list);
// - rw-register: ["w", k, v] writes v; ["r", k, v] reads v (null: never written).
// Jepsen/Elle EDN ([:append :x 1], [:r :x [1 2]]) arrives as ["append", "x", 1].
//
// Outcomes follow Jepsen: `ok` committed (its completion carries the values read),
// `fail` did not commit, `info` may or may not have committed (its reads are unknown).
// Keys and values are interned into integers once, so the analysis compares words.

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "checker/history/history.h"

namespace faultline::txn {

// What the micro-ops act on: lists appended to and read whole (Elle's list-append), or
// registers written and read (rw-register). The transactional test of that name uses it.
enum class ObjectKind : std::uint8_t { kListAppend, kRwRegister };
std::string_view to_string(ObjectKind workload);  // "list-append" | "rw-register"
std::optional<ObjectKind> parse_object_kind(std::string_view name);

enum class MopKind : std::uint8_t { kAppend, kWrite, kRead };
enum class Outcome : std::uint8_t { kOk, kFail, kInfo };
std::string_view to_string(Outcome outcome);  // "ok" | "fail" | "info"

// An interned value: integers stand for themselves, anything else (and integers near
// kNil) gets an id just above kNil. kNil is "no value" (a rw-register read of null).
using Value = std::int64_t;
inline constexpr Value kNil = INT64_MIN;

struct Mop {
  MopKind kind = MopKind::kRead;
  bool read_known = false;      // a read whose result is known (it is part of an ok txn)
  bool final_write = false;     // append/write: the txn's last one to this key
  std::uint8_t own_before = 0;  // read: appends/writes to this key earlier in the same txn
  std::uint32_t key = 0;        // index into TxnHistory::keys
  std::uint32_t txn = 0;        // index into TxnHistory::txns
  Value value = kNil;           // append/write: the value; rw-register read: the value read
  std::uint32_t list_size = 0;  // list-append read: its elements, at `list`
  const Value* list = nullptr;  // in TxnHistory::element_blocks
};

struct Txn {
  std::uint32_t mop_begin = 0;
  std::uint32_t mop_count = 0;
  Outcome outcome = Outcome::kInfo;
  std::int64_t process = 0;
  std::int64_t index = -1;              // Operation::index of the invocation
  std::int64_t completion_index = -1;   // Operation::index of the completion; -1 if none
  std::size_t invoke_pos = 0;           // positions in History::ops (real-time order)
  std::size_t complete_pos = SIZE_MAX;  // SIZE_MAX: never completed
  std::size_t line = 0;                 // line of the invocation (completion for ok txns' reads)
};

// Interns JSON values into Value words and prints them back.
class ValueTable {
 public:
  Value intern(const boost::json::value& value);
  std::string text(Value value) const;  // JSON text ("3", "\"x\"", "nil" for kNil)
  std::size_t memory_bytes() const;

 private:
  std::unordered_map<std::string, Value> ids_;
  std::vector<std::string> texts_;
};

struct TxnHistory {
  ObjectKind workload = ObjectKind::kListAppend;
  std::string source;
  std::vector<Txn> txns;  // in order of invocation
  std::vector<Mop> mops;  // each txn's micro-ops, contiguous, in txn order
  // List-append read results, in blocks that Mop::list points into (so the history is
  // move-only: a copy would point into the original).
  std::vector<std::vector<Value>> element_blocks;
  std::vector<std::string> key_names;  // key id -> JSON text of the key
  ValueTable values;
  std::size_t history_ops = 0;  // History::ops.size()
  // History::processes_known: false when operations came without a process, so the
  // order of a process's transactions is unknown (no process edges, no session claims).
  bool processes_known = true;

  TxnHistory() = default;
  TxnHistory(TxnHistory&&) = default;
  TxnHistory& operator=(TxnHistory&&) = default;
  TxnHistory(const TxnHistory&) = delete;
  TxnHistory& operator=(const TxnHistory&) = delete;

  const Mop* begin(const Txn& t) const { return mops.data() + t.mop_begin; }
  const Mop* end(const Txn& t) const { return mops.data() + t.mop_begin + t.mop_count; }
  const Value* list(const Mop& m) const { return m.list; }
  std::size_t memory_bytes() const;
};

// Compiles the client operations of a history (nemesis operations are skipped). Throws
// InputError naming the line for a client operation whose value is not a list of micro-ops,
// a micro-op the workload does not know, a malformed micro-op, or a list-append value
// appended twice to one key (values must be unique per key to infer version orders).
TxnHistory compile_txn_history(const History& history, ObjectKind workload);

}  // namespace faultline::txn
