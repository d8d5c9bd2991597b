#pragma once
// faultline's native history format: one JSON object per line (docs/history-format.md).
// The one reader and the one writer of it: `faultline test` records with append_jsonl_line,
// `history convert` writes with write_jsonl, `analyze` reads a run back with
// read_jsonl_dropping_torn_line.

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "checker/history/history.h"

namespace faultline {

// Reads JSONL. Refuses (InputError, FILE:LINE:COL) duplicate keys in any object, numbers
// that a double cannot hold exactly (number_text.h), and lines that are not one object.
std::unique_ptr<OperationReader> make_jsonl_reader(std::istream& in, const std::string& file);

// Appends the JSON line of `op` without the newline: the fields of to_json(op) in its
// order, serialised directly (the recorder's hot path). Inferred invocations
// (Operation::inferred_invoke) are not history lines: nothing is appended for them.
void append_jsonl_line(std::string& out, const Operation& op);

// Writes operations as JSONL, one line each, in the canonical field order.
class JsonlWriter {
 public:
  explicit JsonlWriter(std::ostream& out) : out_(out) {}
  void write(const Operation& op);
  // Flushes the stream, so that a crash after this call loses nothing written.
  void flush();

 private:
  std::ostream& out_;
  std::string line_;
};

void write_jsonl(const History& history, std::ostream& out);

// Reads a JSONL history written by a process that may have been killed mid-line: a last
// line without its newline that is not a whole JSON object is dropped and `warn` is told
// ("FILE:LINE: dropped a torn last line ..."); any other problem is an InputError as usual.
// Throws InputMissing if the file cannot be opened.
History read_jsonl_dropping_torn_line(const std::string& path,
                                      const std::function<void(const std::string&)>& warn);

}  // namespace faultline
