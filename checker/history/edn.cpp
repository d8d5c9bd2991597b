#include "checker/history/edn.h"

#include <cstdint>
#include <cstring>
#include <string_view>

#include "checker/history/edn_text.h"

namespace faultline {
namespace {

bool is_space(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ',';
}

// Bytes that end a token (symbol, keyword, number, character name).
bool is_delimiter(int c) {
  return c == EdnReader::kEnd || is_space(c) || c == '(' || c == ')' || c == '[' || c == ']' ||
         c == '{' || c == '}' || c == '"' || c == ';' || c == '\\';
}

}  // namespace

// Counts nesting on entry and refuses to go deeper than kMaxDepth.
class EdnReader::DepthGuard {
 public:
  DepthGuard(EdnReader& reader, EdnPosition at) : reader_(reader) {
    if (++reader_.depth_ > kMaxDepth) {
      reader_.fail_at(at, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    }
  }
  ~DepthGuard() { --reader_.depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  EdnReader& reader_;
};

EdnReader::EdnReader(std::istream& in, std::string file, EdnPosition start)
    : buf_(in.rdbuf()), file_(std::move(file)), pos_(start), last_end_(start) {}

bool EdnReader::fill() {
  constexpr std::size_t kBlock = 1 << 16;
  if (eof_ || buf_ == nullptr) {
    eof_ = true;
    return false;
  }
  const std::size_t keep = static_cast<std::size_t>(end_ - p_);
  if (keep > 0 && p_ != block_.data()) std::memmove(block_.data(), p_, keep);
  if (block_.size() < keep + kBlock) block_.resize(keep + kBlock);
  const std::streamsize got =
      buf_->sgetn(block_.data() + keep, static_cast<std::streamsize>(kBlock));
  p_ = block_.data();
  end_ = p_ + keep + static_cast<std::size_t>(got > 0 ? got : 0);
  if (got <= 0) {
    eof_ = true;
    return false;
  }
  return true;
}

int EdnReader::raw_peek() {
  if (held_hash_) return '#';
  if (p_ == end_ && !fill()) return kEnd;
  return static_cast<unsigned char>(*p_);
}

int EdnReader::get() {
  if (held_hash_) {
    held_hash_ = false;
    ++pos_.column;
    return '#';
  }
  if (p_ == end_ && !fill()) return kEnd;
  int c = static_cast<unsigned char>(*p_++);
  if (c == '\n') {
    ++pos_.line;
    pos_.column = 1;
  } else {
    ++pos_.column;
    if (!is_space(c)) last_end_ = pos_;
  }
  return c;
}

std::string_view EdnReader::rest_of_line() {
  constexpr std::size_t kMaxLine = 1 << 20;
  std::size_t searched = 0;
  for (;;) {
    const std::size_t have = static_cast<std::size_t>(end_ - p_);
    if (const void* nl = std::memchr(p_ + searched, '\n', have - searched)) {
      return std::string_view(p_, static_cast<std::size_t>(static_cast<const char*>(nl) - p_));
    }
    searched = have;
    if (have >= kMaxLine || !fill())
      return std::string_view(p_, static_cast<std::size_t>(end_ - p_));
  }
}

void EdnReader::skip_on_line(std::size_t n) {
  const std::size_t column = pos_.column;
  for (std::size_t i = n; i > 0; --i) {
    if (!is_space(static_cast<unsigned char>(p_[i - 1]))) {
      last_end_ = EdnPosition{pos_.line, column + i};
      break;
    }
  }
  pos_.column += n;
  p_ += n;
}

void EdnReader::skip_whitespace() {
  for (;;) {
    int c = raw_peek();
    if (is_space(c)) {
      get();
    } else if (c == ';') {
      while (c != kEnd && c != '\n') c = get();
    } else if (c == '#' && !held_hash_) {
      EdnPosition at = pos_;
      get();
      int next = raw_peek();
      if (next == '_') {
        get();
        DepthGuard guard(*this, at);
        read_any(nullptr);       // discarded
      } else if (next == '!') {  // `#!` starts a line comment, as in Clojure
        while (next != kEnd && next != '\n') next = get();
      } else {
        held_hash_ = true;  // a real dispatch: give the '#' back
        pos_ = at;
        return;
      }
    } else {
      return;
    }
  }
}

int EdnReader::peek() {
  skip_whitespace();
  return raw_peek();
}

void EdnReader::consume() {
  get();
}

boost::json::value EdnReader::read_form(std::string* tag) {
  if (tag != nullptr) tag->clear();
  return read_any(tag);
}

boost::json::value EdnReader::read_any(std::string* tag) {
  skip_whitespace();
  EdnPosition start = pos_;
  int c = raw_peek();
  switch (c) {
    case kEnd:
      fail_at_end("unexpected end of input, expected a value");
    case '(': {
      get();
      DepthGuard guard(*this, start);
      return read_collection(')', "list", start);
    }
    case '[': {
      get();
      DepthGuard guard(*this, start);
      return read_collection(']', "vector", start);
    }
    case '{': {
      get();
      DepthGuard guard(*this, start);
      return read_map(start);
    }
    case ')':
    case ']':
    case '}':
      fail(std::string("unexpected '") + static_cast<char>(c) + "'");
    case '"':
      get();
      return read_string(start);
    case '\\':
      get();
      return read_char(start);
    case '#':
      get();
      return read_dispatch(tag, start);
    default:
      return read_token(start);
  }
}

boost::json::value EdnReader::read_collection(char close, const char* what, EdnPosition open) {
  boost::json::array items;
  for (;;) {
    int c = peek();
    if (c == kEnd) {
      fail_at_end(std::string("unexpected end of input in ") + what + " opened at line " +
                  std::to_string(open.line) + " column " + std::to_string(open.column));
    }
    if (c == close) {
      get();
      return items;
    }
    items.push_back(read_any(nullptr));
  }
}

boost::json::value EdnReader::read_map(EdnPosition open) {
  boost::json::object map;
  auto unterminated = [&] {
    fail_at_end("unexpected end of input in map opened at line " + std::to_string(open.line) +
                " column " + std::to_string(open.column));
  };
  for (;;) {
    int c = peek();
    if (c == kEnd) unterminated();
    if (c == '}') {
      get();
      return map;
    }
    EdnPosition key_at = pos_;
    boost::json::value key = read_any(nullptr);
    std::string name = edn_map_key(key);
    c = peek();
    if (c == kEnd) unterminated();
    if (c == '}') fail("map key " + to_edn_text(key) + " has no value");
    boost::json::value value = read_any(nullptr);
    if (map.contains(name)) fail_at(key_at, "duplicate map key " + to_edn_text(key));
    map.emplace(name, std::move(value));
  }
}

std::string EdnReader::read_tag() {
  skip_whitespace();
  EdnPosition start = pos_;
  if (get() != '#') fail_at(start, "expected a tag");
  int c = raw_peek();
  if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) fail_at(start, "expected a tag");
  std::string name = read_token_text();
  if (!valid_name(name)) fail_at(start, "invalid tag #" + name);
  return name;
}

boost::json::value EdnReader::read_dispatch(std::string* tag, EdnPosition start) {
  int c = raw_peek();
  if (c == '{') {
    get();
    DepthGuard guard(*this, start);
    return read_collection('}', "set", start);
  }
  if (c == '#') {
    get();
    std::string name = read_token_text();
    if (name == "Inf" || name == "-Inf" || name == "NaN") {
      fail_at(start, "##" + name + " cannot be represented in JSON");
    }
    fail_at(start, "unknown symbolic value ##" + name);
  }
  if (c == ':') fail_at(start, "namespaced maps (#:ns{...}) are not supported");
  if (is_delimiter(c) || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
    fail_at(start, "unexpected character after '#'");
  }
  std::string name = read_token_text();
  if (!valid_name(name)) fail_at(start, "invalid tag #" + name);
  DepthGuard guard(*this, start);
  skip_whitespace();
  EdnPosition form_at = pos_;
  boost::json::value form = read_any(nullptr);
  if ((name == "inst" || name == "uuid") && !form.is_string()) {
    fail_at(form_at, "#" + name + " needs a string");
  }
  if (tag != nullptr) *tag = name;  // the outermost tag wins: set after the inner form
  return form;
}

boost::json::value EdnReader::read_string(EdnPosition start) {
  std::string out;
  for (;;) {
    int c = get();
    if (c == kEnd) {
      fail_at_end("unexpected end of input in string opened at line " + std::to_string(start.line) +
                  " column " + std::to_string(start.column));
    }
    if (c == '"') break;
    if (c != '\\') {
      out += static_cast<char>(c);
      continue;
    }
    EdnPosition escape_at = pos_;
    escape_at.column -= 1;
    c = get();
    switch (c) {
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'n':
        out += '\n';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case '\\':
        out += '\\';
        break;
      case '"':
        out += '"';
        break;
      case 'u': {
        auto read_hex4 = [&]() -> long {
          std::string digits;
          for (int i = 0; i < 4; ++i) {
            int d = raw_peek();
            if (d == kEnd || hex_value(static_cast<char>(d)) < 0) break;
            digits += static_cast<char>(get());
          }
          return parse_hex4(digits);
        };
        long cp = read_hex4();
        if (cp < 0) fail_at(escape_at, "\\u needs four hex digits");
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair spelled as two escapes
          if (get() != '\\' || get() != 'u') fail_at(escape_at, "lone UTF-16 surrogate");
          long low = read_hex4();
          if (low < 0xDC00 || low > 0xDFFF) fail_at(escape_at, "lone UTF-16 surrogate");
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          fail_at(escape_at, "lone UTF-16 surrogate");
        }
        append_utf8(out, static_cast<std::uint32_t>(cp));
        break;
      }
      default:
        fail_at(escape_at, "unknown escape in string");
    }
  }
  if (!valid_utf8(out)) fail_at(start, "string is not valid UTF-8");
  return boost::json::string(out);
}

boost::json::value EdnReader::read_char(EdnPosition start) {
  int c = get();
  if (c == kEnd || is_space(c)) fail_at(start, "backslash without a character");
  std::string text(1, static_cast<char>(c));
  if (!is_delimiter(c)) text += read_token_text();
  if (utf8_length(text, 0) == text.size()) return boost::json::string(text);  // one character
  if (text == "newline") return "\n";
  if (text == "space") return " ";
  if (text == "tab") return "\t";
  if (text == "return") return "\r";
  if (text == "formfeed") return "\f";
  if (text == "backspace") return "\b";
  if (text[0] == 'u') {
    long cp = parse_hex4(std::string_view(text).substr(1));
    if (cp >= 0 && (cp < 0xD800 || cp > 0xDFFF)) {
      std::string out;
      append_utf8(out, static_cast<std::uint32_t>(cp));
      return boost::json::string(out);
    }
  }
  fail_at(start, "unknown character literal \\" + text.substr(0, 20));
}

std::string EdnReader::read_token_text() {
  std::string text;
  while (!is_delimiter(raw_peek())) {
    text += static_cast<char>(get());
    if (text.size() > 4096) fail("token longer than 4096 bytes");
  }
  return text;
}

boost::json::value EdnReader::read_token(EdnPosition start) {
  std::string text = read_token_text();
  auto bad = [&](const std::string& problem) { fail_at(start, problem); };
  if (text.empty()) bad("unexpected character");  // unreachable: delimiters handled above
  std::string_view t = text;
  bool numeric = is_digit(t[0]) || ((t[0] == '+' || t[0] == '-') && t.size() > 1 && is_digit(t[1]));
  if (!numeric) {
    if (t == "nil") return nullptr;
    if (t == "true") return true;
    if (t == "false") return false;
    if (t[0] == ':') {
      if (!valid_name(t.substr(1), true)) bad("invalid keyword " + text.substr(0, 40));
      return boost::json::string(t.substr(1));
    }
    if (!valid_name(t)) bad("invalid symbol " + text.substr(0, 40));
    return boost::json::string(t);
  }

  std::string problem;
  std::optional<boost::json::value> number = parse_edn_number(t, problem);
  if (!number) bad(problem);
  return std::move(*number);
}

}  // namespace faultline
