#pragma once
// An operation: the one currency between every part of faultline.
//
// A history is a sequence of operations as Jepsen records them: a client process
// *invokes* an operation, and later the same process *completes* it with `ok` (it
// happened), `fail` (it certainly did not happen) or `info` (the outcome is unknown:
// it may take effect at any time after the invocation, or never; the process never
// invokes again). The nemesis records its faults as operations of the pseudo-process
// `nemesis`.
//
// Values are kept as Boost.JSON values so that every format (JSONL, EDN, Porcupine
// logs) maps onto the same object; EDN keywords become strings without the colon,
// EDN sets and lists become arrays.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "checker/history/name.h"

namespace faultline {

enum class OpType : std::uint8_t { kInvoke, kOk, kFail, kInfo };

// The process id recorded for the nemesis (`"process": "nemesis"` on disk).
inline constexpr std::int64_t kNemesisProcess = -1;
// `time` of an operation whose source recorded no time.
inline constexpr std::int64_t kNoTime = -1;

std::string_view to_string(OpType type);
// Parses "invoke" | "ok" | "fail" | "info"; nullopt for anything else.
std::optional<OpType> parse_op_type(std::string_view text);

struct Operation {
  std::int64_t index = -1;  // position in the history, 0-based
  OpType type = OpType::kInvoke;
  // The source recorded no process (Elle's histories): read_history gave this operation a
  // process of its own, and History::processes_known is false. Writers omit it again.
  bool process_assigned = false;
  // An invocation the source did not record (its completion came without one): placed at
  // the earliest it can have been invoked (the start of the history, or after the previous
  // completion of its process), since when is unknown. Writers skip it.
  bool inferred_invoke = false;
  // 1-based line in the source file; 0 if none (kMaxLine past it: see operation_line).
  std::uint32_t line = 0;
  std::int64_t process = 0;     // kNemesisProcess for the nemesis
  Name f;                       // e.g. "read", "write", "cas", "start-partition"; "" if absent
  boost::json::value value;     // null when absent
  std::int64_t time = kNoTime;  // ns since test start, monotonic
  std::optional<boost::json::value> key;    // Jepsen's independent key, or a kv key
  std::optional<Name> node;                 // node the client talked to
  std::optional<boost::json::value> error;  // why it failed or is unknown
  boost::json::object extra;                // every other field, kept verbatim

  bool is_nemesis() const { return process == kNemesisProcess; }
  bool is_invoke() const { return type == OpType::kInvoke; }
  bool is_completion() const { return type != OpType::kInvoke; }
};

// The members are ordered and typed for size (168 bytes; docs/performance.md): `f` and
// `node` are interned Names, `line` sits in the padding after the flags.
inline constexpr std::uint32_t kMaxLine = UINT32_MAX;
// `line` as Operation::line holds it: lines past 2^32-1 (a file of hundreds of GB) read kMaxLine.
inline std::uint32_t operation_line(std::size_t line) {
  return line > kMaxLine ? kMaxLine : static_cast<std::uint32_t>(line);
}

// Makes `op` equal to Operation{} (holding nothing on the heap) without building a
// temporary one: readers reset the operation they fill once per record. Keep it in step
// with the fields above.
void reset(Operation& op);

// The canonical JSON object of an operation (the JSONL line, without newline).
// Field order: index, type, process, f, key, value, time, node, error, then extras;
// `process` is left out when it was assigned, `f` when it is empty.
boost::json::object to_json(const Operation& op);

}  // namespace faultline
