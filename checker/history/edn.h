#pragma once
// EdnReader: a small streaming reader of EDN (https://github.com/edn-format/edn), the
// notation of Jepsen's history.edn, producing Boost.JSON values.
//
// It reads one form at a time from an istream, so a history that is one huge vector
// can be walked element by element (peek() / consume() / read_form()) without holding
// the whole vector. Mapping onto JSON (docs/history-format.md):
// - nil, true, false -> null, true, false; strings -> strings (escapes decoded);
// - keywords -> strings without the colon (`:jepsen.x/y` -> "jepsen.x/y"); symbols and
//   characters (`\a`, `\newline`) -> strings;
// - integers -> int64, or uint64 above INT64_MAX (a `N` suffix is accepted); larger
//   integers are an error, never silently rounded;
// - floats (`1.5`, `1e3`, `2.5M`) -> double, and ratios (`1/4`, `6/3`) -> double or
//   integer, only when that holds the number exactly (number_text.h); `1/3`, more digits
//   than a double keeps, `##Inf`/`##NaN` and overflowing floats are an error, so that two
//   different numbers never compare equal;
// - vectors, lists and sets -> arrays; maps -> objects whose keys are keyword names,
//   strings as they are, and the EDN text of any other key (`1`, `[1 2]`); two keys
//   that map to the same name are an error;
// - `#inst "…"`, `#uuid "…"` and any other tagged literal `#tag form` -> the form (the
//   outermost tag of a form is reported to the caller of read_form, see below);
// - `;` comments, commas and `#_ form` (discard) are whitespace.
// Every malformed input throws InputError(file, line, column, problem); nesting deeper
// than kMaxDepth is refused, so arbitrary bytes never exhaust the stack.

#include <boost/json.hpp>
#include <cstddef>
#include <istream>
#include <string>
#include <string_view>

#include "checker/history/input_error.h"

namespace faultline {

struct EdnPosition {
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based, in bytes
};

class EdnReader {
 public:
  static constexpr std::size_t kMaxDepth = 512;
  static constexpr int kEnd = -1;

  // `in` must outlive the reader; `file` names it in errors. `start` is the position
  // of the first byte of `in` in the file (for readers that hand over part of a line).
  EdnReader(std::istream& in, std::string file, EdnPosition start = {});

  // Skips whitespace, commas, comments and discarded (`#_`) forms, then returns the
  // next byte without consuming it, or kEnd at the end of input.
  int peek();
  // Consumes the byte peek() returned.
  void consume();
  // Reads one complete form; throws InputError at the end of input. When `tag` is
  // given it receives the form's outermost tag (`jepsen.independent.Tuple`), or "".
  boost::json::value read_form(std::string* tag = nullptr);

  // Reads a tag (`#jepsen.history.Op` -> "jepsen.history.Op") when peek() is '#', so that
  // a caller walking a tagged map itself can learn its tag; fails if it is no tag.
  std::string read_tag();

  // The fast path (fast_record.h): the unread bytes from the next one to the end of its
  // line (without the newline) or of the input, as far as they fit in 1 MiB; only right
  // after peek() returned something other than '#'. skip_on_line(n) consumes n of them.
  std::string_view rest_of_line();
  void skip_on_line(std::size_t n);

  // Position of the next unread byte.
  EdnPosition position() const { return pos_; }
  const std::string& file() const { return file_; }
  [[noreturn]] void fail(const std::string& problem) const { fail_at(pos_, problem); }
  [[noreturn]] void fail_at(EdnPosition at, const std::string& problem) const {
    throw InputError(file_, at.line, at.column, problem);
  }
  // For "unexpected end of input": located just after the last byte that was not
  // whitespace, so a file cut short names its last line, not the empty one after it.
  [[noreturn]] void fail_at_end(const std::string& problem) const { fail_at(last_end_, problem); }

 private:
  int get();
  int raw_peek();
  // Reads more of the stream after the unread bytes; false when nothing more came.
  bool fill();
  void skip_whitespace();  // everything peek() skips
  class DepthGuard;
  boost::json::value read_any(std::string* tag);
  boost::json::value read_collection(char close, const char* what, EdnPosition open);
  boost::json::value read_map(EdnPosition open);
  boost::json::value read_dispatch(std::string* tag, EdnPosition start);
  boost::json::value read_string(EdnPosition start);
  boost::json::value read_char(EdnPosition start);
  boost::json::value read_token(EdnPosition start);  // numbers, symbols, keywords
  std::string read_token_text();

  // The stream is read in blocks into block_; [p_, end_) is what is not consumed yet.
  std::streambuf* buf_;
  std::string block_;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  bool eof_ = false;
  std::string file_;
  EdnPosition pos_;
  EdnPosition last_end_;    // just after the last non-whitespace byte read
  std::size_t depth_ = 0;   // nesting of collections, tags and discards being read
  bool held_hash_ = false;  // a '#' read by skip_whitespace that was not `#_`
};

// The JSON object key of an EDN map key already read as `key`: the string itself for
// keywords, strings and symbols, the EDN text of anything else.
std::string edn_map_key(const boost::json::value& key);

// The EDN text of a JSON value as the reader would have produced it (used for map keys
// that are not keywords or strings). Objects print with keyword keys.
std::string to_edn_text(const boost::json::value& value);

}  // namespace faultline
