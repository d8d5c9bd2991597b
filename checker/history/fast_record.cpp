#include "checker/history/fast_record.h"

#include <array>
#include <cstdlib>
#include <cstring>

#include "checker/history/edn_text.h"

namespace faultline {
namespace {

constexpr int kMaxDepth = 8;
constexpr std::size_t kMaxDigits = 18;  // always fits an int64

bool initial_fast_read() {
  const char* env = std::getenv("FAULTLINE_FAST_READ");
  return env == nullptr || std::strcmp(env, "0") != 0;
}

bool g_fast_read = initial_fast_read();

// What an EDN byte is to the scanner: a delimiter ends a token (EdnReader::read_token_text),
// a name byte is one valid_name() accepts in any keyword without looking further (ASCII).
enum : unsigned char { kDelimiter = 1, kNameByte = 2 };
constexpr std::array<unsigned char, 256> kEdnClass = [] {
  std::array<unsigned char, 256> cls{};
  for (char c : std::string_view(" \t\n\r\f\v,()[]{}\";\\"))
    cls[static_cast<unsigned char>(c)] = kDelimiter;
  for (int c = 'a'; c <= 'z'; ++c) cls[static_cast<std::size_t>(c)] = kNameByte;
  for (int c = 'A'; c <= 'Z'; ++c) cls[static_cast<std::size_t>(c)] = kNameByte;
  for (int c = '0'; c <= '9'; ++c) cls[static_cast<std::size_t>(c)] = kNameByte;
  for (char c : std::string_view(".*+!-_?$%&=<>/:#'"))
    cls[static_cast<unsigned char>(c)] = kNameByte;
  return cls;
}();

bool is_edn(char c, unsigned char what) {
  return (kEdnClass[static_cast<unsigned char>(c)] & what) != 0;
}

// A scanner over one record; every scan_* returns false to decline.
class Scanner {
 public:
  Scanner(std::string_view text, bool edn)
      : p_(text.data()), end_(text.data() + text.size()), edn_(edn) {}

  const char* position() const { return p_; }

  void skip_blanks() {
    while (p_ < end_) {
      char c = *p_;
      if (c == ' ' || c == '\t' || c == '\r' || (edn_ && (c == ',' || c == '\f' || c == '\v'))) {
        ++p_;
      } else {
        return;
      }
    }
  }
  bool at(char c) const { return p_ < end_ && *p_ == c; }
  bool eat(char c) {
    if (!at(c)) return false;
    ++p_;
    return true;
  }
  bool at_end() const { return p_ == end_; }

  // A JSON string without escapes or control characters, ASCII only; p_ at the quote.
  bool scan_json_string(std::string_view& out) {
    const char* start = ++p_;
    while (p_ < end_) {
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out = std::string_view(start, static_cast<std::size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c == '\\' || c < 0x20 || c >= 0x80) return false;
      ++p_;
    }
    return false;
  }

  // An EDN string without escapes, valid UTF-8; p_ at the quote. Never spans lines: the
  // text ends at the line's end.
  bool scan_edn_string(std::string_view& out) {
    const char* start = ++p_;
    bool ascii = true;
    while (p_ < end_) {
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out = std::string_view(start, static_cast<std::size_t>(p_ - start));
        ++p_;
        return ascii || valid_utf8(out);
      }
      if (c == '\\') return false;
      if (c >= 0x80) ascii = false;
      ++p_;
    }
    return false;
  }

  // An EDN token (what EdnReader::read_token_text reads): up to a delimiter.
  std::string_view edn_token() {
    const char* start = p_;
    while (p_ < end_ && !is_edn(*p_, kDelimiter)) ++p_;
    return std::string_view(start, static_cast<std::size_t>(p_ - start));
  }

  // An EDN keyword, p_ at its ':': its name, when valid_name(name, /*keyword=*/true) holds
  // (edn_text.h), which only a name with bytes beyond the ASCII ones needs to be asked.
  bool scan_keyword(std::string_view& name) {
    const char* start = ++p_;
    while (p_ < end_ && is_edn(*p_, kNameByte)) ++p_;
    if (p_ < end_ && !is_edn(*p_, kDelimiter)) {
      while (p_ < end_ && !is_edn(*p_, kDelimiter)) ++p_;
      name = std::string_view(start, static_cast<std::size_t>(p_ - start));
      return valid_name(name, true);
    }
    name = std::string_view(start, static_cast<std::size_t>(p_ - start));
    return !name.empty() && name[0] != ':' && name[0] != '#';
  }

  // nil (EDN's `nil`, JSON's `null`), true, false or a plain integer; false for anything else.
  static bool literal(std::string_view t, std::string_view nil, boost::json::value& out) {
    std::int64_t n;
    if (t == nil) {
      out = nullptr;
    } else if (t == "true") {
      out = true;
    } else if (t == "false") {
      out = false;
    } else if (plain_integer(t, n)) {
      out = n;
    } else {
      return false;
    }
    return true;
  }

  // -?(0|[1-9][0-9]*) of at most 18 digits, "-0" excluded.
  static bool plain_integer(std::string_view t, std::int64_t& out) {
    bool negative = !t.empty() && t[0] == '-';
    std::string_view digits = negative ? t.substr(1) : t;
    if (digits.empty() || digits.size() > kMaxDigits) return false;
    if (digits[0] == '0' && (digits.size() > 1 || negative)) return false;
    std::int64_t n = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return false;
      n = n * 10 + (c - '0');
    }
    out = negative ? -n : n;
    return true;
  }

  bool scan_value(boost::json::value& out, int depth) {
    if (p_ >= end_) return false;
    char c = *p_;
    if (c == '[' || (edn_ && c == '(')) {
      if (depth >= kMaxDepth) return false;
      const char close = c == '[' ? ']' : ')';
      ++p_;
      boost::json::array items;
      skip_blanks();
      if (eat(close)) {
        out = std::move(items);
        return true;
      }
      for (;;) {
        boost::json::value item;
        if (!scan_value(item, depth + 1)) return false;
        items.push_back(std::move(item));
        skip_blanks();
        if (eat(close)) break;
        if (!edn_ && !eat(',')) return false;
        skip_blanks();
      }
      out = std::move(items);
      return true;
    }
    if (c == '"') {
      std::string_view s;
      if (!(edn_ ? scan_edn_string(s) : scan_json_string(s))) return false;
      out = boost::json::string(s);
      return true;
    }
    if (edn_) {
      if (c == ':') {
        std::string_view name;
        if (!scan_keyword(name)) return false;
        out = boost::json::string(name);
        return true;
      }
      std::string_view t = edn_token();
      return !t.empty() && literal(t, "nil", out);
    }
    // JSON: a literal or an integer, which must end at a structural character or a blank.
    const char* start = p_;
    while (p_ < end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == '-' || (*p_ >= 'a' && *p_ <= 'z'))) {
      ++p_;
    }
    std::string_view t(start, static_cast<std::size_t>(p_ - start));
    if (p_ < end_ && *p_ != ',' && *p_ != ']' && *p_ != '}' && *p_ != ' ' && *p_ != '\t' &&
        *p_ != '\r') {
      return false;  // a fraction, an exponent, anything else: the full parser
    }
    return literal(t, "null", out);
  }

  bool scan_key(std::string_view& name) {
    if (edn_) return at(':') && scan_keyword(name);
    return at('"') && scan_json_string(name);
  }

  // A string, or in EDN also a keyword (which reads as its name).
  bool scan_text(std::string_view& out) {
    if (at('"')) return edn_ ? scan_edn_string(out) : scan_json_string(out);
    return edn_ && at(':') && scan_keyword(out);
  }

  bool scan_integer(std::int64_t& out) {
    const char* start = p_;
    while (p_ < end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == '-')) ++p_;
    if (!ends_token()) return false;
    return plain_integer(std::string_view(start, static_cast<std::size_t>(p_ - start)), out);
  }

  // Whether the token just read ends here (a blank, a separator, a closing bracket).
  bool ends_token() const {
    if (p_ == end_) return true;
    char c = *p_;
    if (edn_) return is_edn(c, kDelimiter);  // no '\n': the text ends before it
    return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\r';
  }

  // The operation map, from its '{' through its '}', straight into `op` with what
  // OperationBuilder would make of it; declines everything OperationBuilder would refuse.
  bool scan_operation(Operation& op) {
    enum : unsigned {
      kIndex = 1,
      kType = 2,
      kProcess = 4,
      kF = 8,
      kValue = 16,
      kTime = 32,
      kKey = 64,
      kNode = 128,
      kError = 256
    };
    unsigned seen = 0;
    op.process_assigned = true;
    if (!eat('{')) return false;
    skip_blanks();
    if (!at('}')) {
      for (;;) {
        std::string_view name;
        if (!scan_key(name)) return false;
        skip_blanks();
        if (!edn_ && !eat(':')) return false;
        skip_blanks();
        unsigned bit = 0;
        switch (name.size()) {
          case 1:
            bit = name[0] == 'f' ? kF : 0U;
            break;
          case 3:
            bit = name == "key" ? kKey : 0U;
            break;
          case 4:
            bit = name == "type" ? kType : name == "time" ? kTime : name == "node" ? kNode : 0U;
            break;
          case 5:
            bit = name == "value"   ? kValue
                  : name == "index" ? kIndex
                  : name == "error" ? kError
                                    : 0U;
            break;
          case 7:
            bit = name == "process" ? kProcess : 0U;
            break;
          default:
            break;
        }
        if ((seen & bit) != 0) return false;  // a key twice: the full parser's error
        seen |= bit;
        std::int64_t n;
        std::string_view text;
        switch (bit) {
          case kIndex:
            if (!scan_integer(n) || n < 0) return false;
            op.index = n;
            break;
          case kTime:
            if (!scan_integer(n) || n < 0) return false;
            op.time = n;
            break;
          case kType: {
            if (!scan_text(text)) return false;
            auto type = parse_op_type(text);
            if (!type) return false;
            op.type = *type;
            break;
          }
          case kProcess:
            op.process_assigned = false;
            if (at('"') || (edn_ && at(':'))) {
              if (!scan_text(text) || text != "nemesis") return false;
              op.process = kNemesisProcess;
            } else if (!scan_integer(n) || n < 0) {
              return false;
            } else {
              op.process = n;
            }
            break;
          case kF:
            if (!scan_text(text)) return false;
            op.f = Name(text);
            break;
          case kNode:
            if (!scan_text(text)) return false;
            op.node.emplace(text);
            break;
          case kValue:
            if (!scan_value(op.value, 0)) return false;
            break;
          case kKey:
            if (!scan_value(op.key.emplace(), 0)) return false;
            break;
          case kError:
            if (!scan_value(op.error.emplace(), 0)) return false;
            break;
          default: {
            boost::json::string_view key(name.data(), name.size());
            if (op.extra.contains(key)) return false;
            if (!scan_value(op.extra[key], 0)) return false;
          }
        }
        skip_blanks();
        if (at('}')) break;
        if (!edn_ && !eat(',')) return false;
        skip_blanks();
      }
    }
    ++p_;  // the '}'
    return (seen & kType) != 0;
  }

 private:
  const char* p_;
  const char* end_;
  bool edn_;
};

}  // namespace

bool scan_fast_json_operation(std::string_view line, Operation& out) {
  Scanner scan(line, false);
  scan.skip_blanks();
  if (!scan.scan_operation(out)) return false;
  scan.skip_blanks();
  return scan.at_end();
}

std::size_t scan_fast_edn_operation(std::string_view text, Operation& out) {
  std::size_t eol = text.find('\n');
  if (eol != std::string_view::npos) text = text.substr(0, eol);
  Scanner scan(text, true);
  if (!scan.scan_operation(out)) return 0;
  return static_cast<std::size_t>(scan.position() - text.data());
}

bool fast_read_enabled() {
  return g_fast_read;
}

void set_fast_read_enabled(bool enabled) {
  g_fast_read = enabled;
}

}  // namespace faultline
