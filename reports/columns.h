#pragma once
// Numeric columns embedded in a report: a typed array, little-endian, base64-encoded,
// described as {"type": "u8"|"u16"|"u32"|"f32"|"f64", "length": N, "base64": "..."}.
// One million operations take a few megabytes and decode in milliseconds
// (reports/assets/report_core.js: decodeColumn), where one JSON object per
// operation would take tens of megabytes and seconds.

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

std::string base64_encode(std::string_view bytes);

// Unsigned integers, in the narrowest of u8/u16/u32 that holds the largest value.
boost::json::object encode_uint_column(const std::vector<std::uint32_t>& values);
boost::json::object encode_f64_column(const std::vector<double>& values);
boost::json::object encode_f32_column(const std::vector<float>& values);

// Inverse of the above, for tests and tools: the values as doubles.
std::vector<double> decode_column(const boost::json::object& column);

}  // namespace faultline
