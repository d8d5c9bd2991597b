#pragma once
// Exact numbers: a history must never equate two different values. A decimal number is
// kept as a 64-bit float only when that float stands for exactly the number written;
// readers refuse the rest (InputError) rather than compare them loosely.

#include <string_view>

namespace faultline {

// Whether the decimal `text` (`[-]digits[.digits][(e|E)[+-]digits]`, an optional EDN `M`
// removed) denotes the same number as the shortest decimal form of `d`, so that no other
// number's text can map onto `d`. False for non-finite `d`, for more digits than a double
// keeps (`123456789012345678901234567890`), and for exponents out of range (`1e999999`,
// `1e-999999`). `0.1`, `1e30`, `2.50` and `0.30000000000000004` are exact.
bool decimal_is_exact(std::string_view text, double d);

// The problem named when a number is refused: "number TEXT cannot be compared exactly ...".
std::string_view inexact_number_advice();

}  // namespace faultline
