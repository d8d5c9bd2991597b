#pragma once
// KeyIndex: every key's writes and known reads, bucketed once (counting sort) so that
// the per-key inference can run keys in parallel without hashing.

#include <cstdint>
#include <span>
#include <vector>

#include "checker/txn/txn_history.h"

namespace faultline::txn {

struct KeyIndex {
  std::vector<std::uint32_t> write_offsets, writes;  // appends/writes of any outcome
  std::vector<std::uint32_t> read_offsets, reads;    // reads with known results

  explicit KeyIndex(const TxnHistory& h);
  std::size_t keys() const { return write_offsets.size() - 1; }
  std::span<const std::uint32_t> writes_of(std::size_t key) const {
    return {writes.data() + write_offsets[key], writes.data() + write_offsets[key + 1]};
  }
  std::span<const std::uint32_t> reads_of(std::size_t key) const {
    return {reads.data() + read_offsets[key], reads.data() + read_offsets[key + 1]};
  }
};

// A key's writes sorted by value, to find the writer of a value by binary search.
class WriterLookup {
 public:
  // Throws InputError when two writes to the key carry the same value.
  WriterLookup(const TxnHistory& h, std::span<const std::uint32_t> writes);
  // The mop that wrote `value`, or kNoMop.
  std::uint32_t find(Value value) const;
  static constexpr std::uint32_t kNoMop = UINT32_MAX;
  // Position of `mop` among the sorted writes (for per-write flags), or -1.
  std::size_t size() const { return sorted_.size(); }
  const std::vector<std::pair<Value, std::uint32_t>>& sorted() const { return sorted_; }
  std::size_t slot(Value value) const;  // index in sorted(), or size() when absent

 private:
  std::vector<std::pair<Value, std::uint32_t>> sorted_;
};

}  // namespace faultline::txn
