#pragma once
// History: operations in the order they happened, read from any supported format.
//
// Readers stream: they hold one record at a time, so memory grows with the number
// of operations, not with the size of the file (Porcupine logs are mostly noise).
// Every reader reports a malformed record as InputError naming file, line and column.

#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/history/input_error.h"
#include "checker/history/operation.h"

namespace faultline {

enum class HistoryFormat { kJsonl, kEdn, kPorcupineEtcd, kPorcupineKv };

std::string_view to_string(HistoryFormat format);
// "jsonl" | "edn" | "porcupine-etcd" | "porcupine-kv"; nullopt otherwise.
std::optional<HistoryFormat> parse_history_format(std::string_view name);

// A streaming source of operations. next() returns false at the end of input.
class OperationReader {
 public:
  virtual ~OperationReader() = default;
  virtual bool next(Operation& out) = 0;
};

// A reader of `format` over `in` (which must outlive it); `file` names the input in errors.
std::unique_ptr<OperationReader> make_reader(HistoryFormat format, std::istream& in,
                                             const std::string& file);

// Guesses the format from the first non-blank bytes of a file (the stream is
// rewound). Throws InputError when nothing matches.
HistoryFormat detect_format(std::istream& in, const std::string& file);

struct History {
  std::string source;  // file name, or "-" for stdin
  HistoryFormat format = HistoryFormat::kJsonl;
  std::vector<Operation> ops;
  // False when some client operation had no process in its source (Elle's histories): each
  // such operation got a process of its own, so checkers must not claim process order.
  bool processes_known = true;
};

// About how many bytes `history` holds (operations and their values), for memory limits.
std::size_t history_memory_bytes(const History& history);

// Reads a whole history. Operations without an index get their position; operations
// without a process get one of their own, and processes_known becomes false (an
// invocation never recorded is inferred at the start: see Operation::inferred_invoke). A
// process that recorded only completions (Elle's test histories) gets each invocation
// inferred right after its previous completion.
// Throws InputMissing if the file cannot be opened, InputError if it is malformed.
History read_history(const std::string& path, std::optional<HistoryFormat> format = std::nullopt);
// The same over an open stream.
History read_history(std::istream& in, const std::string& name,
                     std::optional<HistoryFormat> format = std::nullopt);

}  // namespace faultline
