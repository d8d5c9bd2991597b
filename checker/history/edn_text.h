#pragma once
// Text-level pieces of the EDN reader (edn.h): UTF-8, names, numbers, and printing
// values back as EDN. Internal to checker/history.

#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faultline {

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Appends code point `cp` (a Unicode scalar value) as UTF-8.
void append_utf8(std::string& out, std::uint32_t cp);
// Length of the well-formed UTF-8 sequence at text[i], or 0 if it is malformed.
std::size_t utf8_length(std::string_view text, std::size_t i);
bool valid_utf8(std::string_view text);
// A symbol (or, with `keyword`, a keyword's name after the colon).
bool valid_name(std::string_view name, bool keyword = false);
int hex_value(char c);
// Exactly four hex digits, or -1.
long parse_hex4(std::string_view text);
std::string quote_edn_string(std::string_view s);

// A numeric token (`42`, `-7N`, `1.5e3`, `2.5M`, `1/3`) as int64, uint64 or double;
// nullopt with `problem` set when it is malformed or out of range.
std::optional<boost::json::value> parse_edn_number(std::string_view text, std::string& problem);

}  // namespace faultline
