#include "checker/history/edn_text.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "checker/history/edn.h"
#include "checker/history/number_text.h"
#include "checker/history/quoted.h"

namespace faultline {

// Appends code point `cp` (already checked to be a Unicode scalar value) as UTF-8.
void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Length of the well-formed UTF-8 sequence at text[i], or 0 if it is malformed
// (overlong forms, surrogates and code points above U+10FFFF are malformed).
std::size_t utf8_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b = byte(i);
  if (b < 0x80) return 1;
  std::size_t n;
  std::uint32_t cp;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2, cp = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3, cp = b & 0x0F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4, cp = b & 0x07;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

bool valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = utf8_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// A symbol or keyword name: only EDN's symbol characters (and well-formed UTF-8 beyond
// ASCII); a symbol may not look like a number, a keyword may (`:1`, as Clojure reads it).
bool valid_name(std::string_view name, bool keyword) {
  if (name.empty() || name[0] == ':' || name[0] == '#') return false;
  if (!keyword && (is_digit(name[0]) || ((name[0] == '+' || name[0] == '-' || name[0] == '.') &&
                                         name.size() > 1 && is_digit(name[1])))) {
    return false;
  }
  static constexpr std::string_view kSymbolPunct = ".*+!-_?$%&=<>/:#'";
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
              kSymbolPunct.find(c) != std::string_view::npos ||
              static_cast<unsigned char>(c) >= 0x80;
    if (!ok) return false;
  }
  return valid_utf8(name);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits, or -1.
long parse_hex4(std::string_view text) {
  if (text.size() != 4) return -1;
  long v = 0;
  for (char c : text) {
    int h = hex_value(c);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

std::string quote_edn_string(std::string_view s) {
  std::string out;
  append_quoted(out, s, Notation::kEdn);
  return out;
}

std::optional<boost::json::value> parse_edn_number(std::string_view text, std::string& problem) {
  auto fail = [&](std::string message) -> std::optional<boost::json::value> {
    problem = std::move(message);
    return std::nullopt;
  };
  std::string_view t = text;
  std::string_view digits = t[0] == '+' ? t.substr(1) : t;
  auto all_digits = [](std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
      if (!is_digit(c)) return false;
    }
    return true;
  };
  std::string_view unsigned_part = digits[0] == '-' ? digits.substr(1) : digits;
  std::string_view int_part = unsigned_part;
  if (!int_part.empty() && int_part.back() == 'N') int_part.remove_suffix(1);
  if (all_digits(int_part)) {
    if (int_part.size() > 1 && int_part[0] == '0')
      return fail("integer with a leading zero: " + std::string(text.substr(0, 40)));
    bool negative = digits[0] == '-';
    std::uint64_t magnitude = 0;
    auto [end, ec] = std::from_chars(int_part.data(), int_part.data() + int_part.size(), magnitude);
    (void)end;
    if (ec != std::errc()) return fail("integer out of range: " + std::string(text.substr(0, 40)));
    if (!negative) {
      if (magnitude <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(magnitude);
      }
      return magnitude;
    }
    if (magnitude > static_cast<std::uint64_t>(INT64_MAX) + 1) {
      return fail("integer out of range: " + std::string(text.substr(0, 40)));
    }
    return static_cast<std::int64_t>(0 - magnitude);  // two's complement, INT64_MIN included
  }
  // A ratio n/d: its value as an integer, or as a double when that holds it exactly.
  if (auto slash = unsigned_part.find('/'); slash != std::string_view::npos) {
    std::string_view num = unsigned_part.substr(0, slash), den = unsigned_part.substr(slash + 1);
    if (!all_digits(num) || !all_digits(den))
      return fail("invalid number " + std::string(text.substr(0, 40)));
    std::uint64_t n = 0, d = 0;
    bool fits = std::from_chars(num.data(), num.data() + num.size(), n).ec == std::errc() &&
                std::from_chars(den.data(), den.data() + den.size(), d).ec == std::errc();
    if (fits && d == 0) {
      return fail("ratio with a zero denominator: " + std::string(text.substr(0, 40)));
    }
    const std::uint64_t g = fits ? std::gcd(n, d) : 1;
    if (fits) {
      n /= g;
      d /= g;
    }
    const bool negative = digits[0] == '-';
    if (fits && d == 1 && n <= static_cast<std::uint64_t>(INT64_MAX)) {
      return negative ? -static_cast<std::int64_t>(n) : static_cast<std::int64_t>(n);
    }
    // n / 2^k with n below 2^53 is a double exactly; any other ratio is not.
    if (!fits || (d & (d - 1)) != 0 || n >= (std::uint64_t{1} << 53)) {
      return fail("ratio " + std::string(text.substr(0, 40)) + " " +
                  std::string(inexact_number_advice()));
    }
    double v = static_cast<double>(n) / static_cast<double>(d);
    return negative ? -v : v;
  }
  // A float: digits, optional fraction, optional exponent, optional M (BigDecimal).
  std::string_view f = unsigned_part;
  if (!f.empty() && f.back() == 'M') f.remove_suffix(1);
  std::size_t i = 0;
  while (i < f.size() && is_digit(f[i])) ++i;
  bool ok = i > 0;
  if (ok && i < f.size() && f[i] == '.') {
    ++i;
    while (i < f.size() && is_digit(f[i])) ++i;
  }
  if (ok && i < f.size() && (f[i] == 'e' || f[i] == 'E')) {
    ++i;
    if (i < f.size() && (f[i] == '+' || f[i] == '-')) ++i;
    std::size_t exp_start = i;
    while (i < f.size() && is_digit(f[i])) ++i;
    ok = i > exp_start;
  }
  if (!ok || i != f.size()) return fail("invalid number " + std::string(text.substr(0, 40)));
  double v = std::strtod(std::string(f).c_str(), nullptr);
  if (!std::isfinite(v)) return fail("number out of range: " + std::string(text.substr(0, 40)));
  if (!decimal_is_exact(f, v)) {
    return fail("number " + std::string(text.substr(0, 40)) + " " +
                std::string(inexact_number_advice()));
  }
  return digits[0] == '-' ? -v : v;
}

std::string edn_map_key(const boost::json::value& key) {
  return key.is_string() ? std::string(key.get_string()) : to_edn_text(key);
}

std::string to_edn_text(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "nil";
    case boost::json::kind::bool_:
      return value.get_bool() ? "true" : "false";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return boost::json::serialize(value);
    case boost::json::kind::string:
      return quote_edn_string(value.get_string());
    case boost::json::kind::array: {
      std::string out = "[";
      for (const auto& item : value.get_array()) {
        if (out.size() > 1) out += ' ';
        out += to_edn_text(item);
      }
      return out + "]";
    }
    case boost::json::kind::object: {
      std::string out = "{";
      for (const auto& [k, v] : value.get_object()) {
        if (out.size() > 1) out += ", ";
        if (valid_name(k)) {
          out += ':';
          out.append(k.data(), k.size());
        } else {
          out += quote_edn_string(k);
        }
        out += ' ';
        out += to_edn_text(v);
      }
      return out + "}";
    }
  }
  return "?";
}

}  // namespace faultline
