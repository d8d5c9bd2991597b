#include "reports/columns.h"

#include <algorithm>
#include <bit>
#include <boost/json.hpp>
#include <cstring>
#include <stdexcept>

namespace faultline {
namespace {

static_assert(std::endian::native == std::endian::little,
              "report columns are written as little-endian typed arrays");

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

template <typename T>
boost::json::object make_column(std::string_view type, const std::vector<T>& values) {
  std::string_view bytes(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  return {{"type", type}, {"length", values.size()}, {"base64", base64_encode(bytes)}};
}

template <typename T>
std::vector<T> narrow(const std::vector<std::uint32_t>& values) {
  return std::vector<T>(values.begin(), values.end());
}

std::string base64_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    auto pos = kAlphabet.find(c);
    if (pos == std::string_view::npos) throw std::invalid_argument("bad base64 character");
    buffer = (buffer << 6) | static_cast<std::uint32_t>(pos);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

template <typename T>
std::vector<double> read_as_doubles(const std::string& bytes) {
  std::vector<double> out(bytes.size() / sizeof(T));
  for (std::size_t i = 0; i < out.size(); ++i) {
    T v;
    std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
    out[i] = static_cast<double>(v);
  }
  return out;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto at = [&](std::size_t k) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
  };
  for (; i + 2 < bytes.size(); i += 3) {
    std::uint32_t n = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == bytes.size()) {
    std::uint32_t n = at(i) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    std::uint32_t n = (at(i) << 16) | (at(i + 1) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

boost::json::object encode_uint_column(const std::vector<std::uint32_t>& values) {
  std::uint32_t max = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
  if (max <= 0xFF) return make_column("u8", narrow<std::uint8_t>(values));
  if (max <= 0xFFFF) return make_column("u16", narrow<std::uint16_t>(values));
  return make_column("u32", values);
}

boost::json::object encode_f64_column(const std::vector<double>& values) {
  return make_column("f64", values);
}

boost::json::object encode_f32_column(const std::vector<float>& values) {
  return make_column("f32", values);
}

std::vector<double> decode_column(const boost::json::object& column) {
  std::string type(column.at("type").as_string());
  std::string bytes = base64_decode(column.at("base64").as_string());
  if (type == "u8") return read_as_doubles<std::uint8_t>(bytes);
  if (type == "u16") return read_as_doubles<std::uint16_t>(bytes);
  if (type == "u32") return read_as_doubles<std::uint32_t>(bytes);
  if (type == "f32") return read_as_doubles<float>(bytes);
  if (type == "f64") return read_as_doubles<double>(bytes);
  throw std::invalid_argument("unknown column type " + type);
}

}  // namespace faultline
