#include "checker/history/number_text.h"

#include <charconv>
#include <cmath>
#include <string>

namespace faultline {
namespace {

// A decimal as sign, significant digits (no leading or trailing zeros) and the power of
// ten of the last digit; zero has no digits and no sign.
struct Decimal {
  bool negative = false;
  std::string digits;
  long long exponent = 0;
  bool operator==(const Decimal&) const = default;
};

bool normalise(std::string_view text, Decimal& out) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) out.negative = text[i++] == '-';
  std::string digits;
  long long fraction = 0;
  bool any = false;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, any = true) digits += text[i];
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, any = true) {
      digits += text[i];
      ++fraction;
    }
  }
  if (!any) return false;
  long long exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    if (i == text.size()) return false;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (exponent < 1'000'000'000) exponent = exponent * 10 + (text[i] - '0');
    }
    if (negative) exponent = -exponent;
  }
  if (i != text.size()) return false;
  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) {  // zero
    out = Decimal{};
    return true;
  }
  std::size_t last = digits.find_last_not_of('0');
  out.exponent = exponent - fraction + static_cast<long long>(digits.size() - 1 - last);
  out.digits = digits.substr(first, last - first + 1);
  return true;
}

}  // namespace

bool decimal_is_exact(std::string_view text, double d) {
  if (!std::isfinite(d)) return false;
  char shortest[32];
  auto [end, ec] = std::to_chars(shortest, shortest + sizeof shortest, d);
  if (ec != std::errc()) return false;
  Decimal written, held;
  if (!normalise(text, written) || !normalise(std::string_view(shortest, end - shortest), held)) {
    return false;
  }
  return written == held;
}

std::string_view inexact_number_advice() {
  return "cannot be compared exactly (it is out of range or has more digits than a 64-bit "
         "float holds); write it as a string";
}

}  // namespace faultline
