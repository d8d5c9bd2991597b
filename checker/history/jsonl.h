#pragma once
// faultline's native history format: one JSON object per line (docs/history-format.md).

#include <memory>
#include <ostream>

#include "checker/history/history.h"

namespace faultline {

std::unique_ptr<OperationReader> make_jsonl_reader(std::istream& in, const std::string& file);

// Writes operations as JSONL, one line each, in the canonical field order.
class JsonlWriter {
 public:
  explicit JsonlWriter(std::ostream& out) : out_(out) {}
  void write(const Operation& op);
  // Flushes the stream, so that a crash after this call loses nothing written.
  void flush() { out_.flush(); }

 private:
  std::ostream& out_;
};

void write_jsonl(const History& history, std::ostream& out);

}  // namespace faultline
