#include "checker/history/interning.h"

#include "checker/history/op_values.h"

namespace faultline {

std::int64_t ValueInterner::intern(const boost::json::value& value) {
  const auto next = static_cast<std::int64_t>(values_.size());
  std::pair<std::unordered_map<std::int64_t, std::int64_t>::iterator, bool> by_int;
  if (value.is_int64()) {
    by_int = int_ids_.try_emplace(value.get_int64(), next);
  } else if (value.is_uint64() && value.get_uint64() <= std::uint64_t{INT64_MAX}) {
    by_int = int_ids_.try_emplace(static_cast<std::int64_t>(value.get_uint64()), next);
  } else if (value.is_string()) {
    const auto& s = value.get_string();
    auto [it, inserted] = string_ids_.try_emplace(std::string(s.data(), s.size()), next);
    if (inserted) {
      values_.push_back(value);
      key_bytes_ += s.size() + 64;
    }
    return it->second;
  } else {
    auto [it, inserted] = ids_.try_emplace(boost::json::serialize(value), next);
    if (inserted) {
      values_.push_back(value);
      key_bytes_ += it->first.size() + 64;
    }
    return it->second;
  }
  if (by_int.second) {
    values_.push_back(value);
    key_bytes_ += 48;
  }
  return by_int.first->second;
}

std::string ValueInterner::text(std::int64_t id) const {
  return value_text(values_[id]);
}

std::size_t ValueInterner::memory_bytes() const {
  return values_.capacity() * sizeof(boost::json::value) + key_bytes_;
}

std::size_t StateInterner::Hash::operator()(const std::vector<std::int64_t>& words) const {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ words.size();
  for (std::int64_t w : words) {
    h ^= static_cast<std::uint64_t>(w) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  }
  return h;
}

std::uint64_t StateInterner::intern(const std::vector<std::int64_t>& words) {
  auto [it, inserted] = ids_.try_emplace(words, states_.size());
  if (inserted) {
    states_.push_back(&it->first);  // node-based map: the key's address is stable
    bytes_ += words.size() * sizeof(std::int64_t) + 96;
  }
  return it->second;
}

}  // namespace faultline
