#pragma once
// LineOperationReader: the reading loop shared by line-oriented history formats (JSONL,
// Porcupine's logs): at most one operation per line; lines are counted from 1 so that
// errors name them.

#include <istream>
#include <string>

#include "checker/history/history.h"
#include "checker/history/input_error.h"

namespace faultline {

class LineOperationReader : public OperationReader {
 public:
  // Throws InputError on a read error of the stream.
  bool next(Operation& out) final {
    std::string text;
    while (std::getline(in_, text)) {
      ++line_;
      if (parse_line(text, out)) return true;
    }
    if (in_.bad()) throw InputError(file_, line_, 1, "read error");
    return false;
  }

 protected:
  LineOperationReader(std::istream& in, std::string file) : in_(in), file_(std::move(file)) {}
  // Reads the operation on line line_ (`text`, without its newline) into `out`; false when
  // the line holds none (blank, comment, noise). Throws InputError on a malformed line.
  virtual bool parse_line(std::string& text, Operation& out) = 0;

  std::istream& in_;
  std::string file_;
  std::size_t line_ = 0;  // the line being parsed
};

}  // namespace faultline
