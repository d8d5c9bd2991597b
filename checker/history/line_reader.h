#pragma once
// LineOperationReader: the reading loop shared by line-oriented history formats (JSONL,
// Porcupine's logs): at most one operation per line; lines are counted from 1 so that
// errors name them. The input is read in large blocks and each line handed over in
// place, never copied.
//
// An input with text but no operation at all (random bytes, a file of another format
// read with --format) is refused, naming the first line that held no operation: a
// format that recognises nothing must never look like an empty, valid history.

#include <cstring>
#include <istream>
#include <string>
#include <string_view>

#include "checker/history/history.h"
#include "checker/history/input_error.h"

namespace faultline {

class LineOperationReader : public OperationReader {
 public:
  // Throws InputError on a read error of the stream, and at the end of an input whose
  // lines held text but no operation.
  bool next(Operation& out) final {
    std::string_view text;
    while (next_line(text)) {
      ++line_;
      if (parse_line(text, out)) {
        ++operations_;
        return true;
      }
    }
    if (bad_) throw InputError(file_, line_, 1, "read error");
    if (operations_ == 0 && first_noise_line_ != 0) {
      throw InputError(file_, first_noise_line_, 1,
                       "no " + std::string(format_) +
                           " operation in this input; this is the first line that is not one "
                           "(is --format right?)");
    }
    return false;
  }

 protected:
  LineOperationReader(std::istream& in, std::string file, std::string_view format)
      : in_(in), file_(std::move(file)), format_(format) {}
  // Reads the operation on line line_ (`text`, without its newline) into `out`; false when
  // the line holds none (blank, comment, noise). Throws InputError on a malformed line.
  virtual bool parse_line(std::string_view text, Operation& out) = 0;
  // Called by parse_line for a line it skipped that was neither blank nor a comment.
  void note_noise() {
    if (first_noise_line_ == 0) first_noise_line_ = line_;
  }

  std::istream& in_;
  std::string file_;
  std::size_t line_ = 0;  // the line being parsed

 private:
  static constexpr std::size_t kBlock = 1 << 20;

  // The next line, without its '\n'; false at the end of input.
  bool next_line(std::string_view& line) {
    for (;;) {
      const char* begin = buffer_.data() + pos_;
      const char* end = buffer_.data() + buffer_.size();
      if (const void* nl = std::memchr(begin, '\n', static_cast<std::size_t>(end - begin))) {
        const char* at = static_cast<const char*>(nl);
        line = std::string_view(begin, static_cast<std::size_t>(at - begin));
        pos_ += line.size() + 1;
        return true;
      }
      if (eof_) {
        if (begin == end) return false;
        line = std::string_view(begin, static_cast<std::size_t>(end - begin));
        pos_ = buffer_.size();
        return true;
      }
      buffer_.erase(0, pos_);  // keep the partial line, read the next block after it
      pos_ = 0;
      const std::size_t kept = buffer_.size();
      buffer_.resize(kept + kBlock);
      in_.read(buffer_.data() + kept, static_cast<std::streamsize>(kBlock));
      buffer_.resize(kept + static_cast<std::size_t>(in_.gcount()));
      if (!in_) {
        eof_ = true;
        bad_ = in_.bad();
      }
    }
  }

  std::string_view format_;
  std::string buffer_;
  std::size_t pos_ = 0;
  bool eof_ = false, bad_ = false;
  std::size_t operations_ = 0;
  std::size_t first_noise_line_ = 0;
};

}  // namespace faultline
