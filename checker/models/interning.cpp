#include "checker/models/interning.h"

#include "checker/lin/model.h"

namespace faultline {

std::int64_t ValueInterner::intern(const boost::json::value& value) {
  auto [it, inserted] = ids_.try_emplace(boost::json::serialize(value),
                                         static_cast<std::int64_t>(values_.size()));
  if (inserted) values_.push_back(value);
  return it->second;
}

std::string ValueInterner::text(std::int64_t id) const { return value_text(values_[id]); }

std::size_t ValueInterner::memory_bytes() const {
  std::size_t bytes = values_.capacity() * sizeof(boost::json::value);
  for (const auto& [text, id] : ids_) bytes += text.size() + 64;
  return bytes;
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
