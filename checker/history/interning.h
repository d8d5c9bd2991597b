#pragma once
// Interning of operation values, for the models and the lin engine: JSON values and composite
// states become small integers, so that the engine compares and hashes 64-bit handles instead
// of trees.

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace faultline {

// JSON values -> dense ids 0, 1, 2, ... (equal serializations get equal ids).
class ValueInterner {
 public:
  std::int64_t intern(const boost::json::value& value);
  const boost::json::value& value(std::int64_t id) const { return values_[id]; }
  std::string text(std::int64_t id) const;  // value_text() of the value
  std::size_t size() const { return values_.size(); }
  std::size_t memory_bytes() const;

 private:
  // Integers and strings (most values) skip serialization; equal serializations still
  // mean equal ids: an unsigned integer that fits is looked up as a signed one.
  std::unordered_map<std::int64_t, std::int64_t> int_ids_;
  std::unordered_map<std::string, std::int64_t> string_ids_;
  std::unordered_map<std::string, std::int64_t> ids_;  // by serialization: everything else
  std::vector<boost::json::value> values_;
  std::size_t key_bytes_ = 0;  // the maps' keys and nodes, roughly
};

// Sequences of 64-bit words -> dense ids: the state handles of composite models.
class StateInterner {
 public:
  std::uint64_t intern(const std::vector<std::int64_t>& words);
  const std::vector<std::int64_t>& words(std::uint64_t id) const { return *states_[id]; }
  std::size_t memory_bytes() const { return bytes_; }

 private:
  struct Hash {
    std::size_t operator()(const std::vector<std::int64_t>& words) const;
  };
  std::unordered_map<std::vector<std::int64_t>, std::uint64_t, Hash> ids_;
  std::vector<const std::vector<std::int64_t>*> states_;
  std::size_t bytes_ = 0;
};

}  // namespace faultline
