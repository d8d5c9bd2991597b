#pragma once
// The memo of the linearizability search: configurations (set of linearized operations,
// model state) already explored. A configuration seen before leads to the same subtree,
// so the search skips it (Lowe, "Testing for linearizability", 2017).
//
// Open addressing; each slot holds the 64-bit hash, the state and the full bitset, so a
// hit is exact (hash collisions cannot hide an unexplored configuration). The table
// doubles while the memory budget allows; past it, a new entry overwrites an old one.
// Forgetting is sound (it only costs re-exploration); thrashing() tells the search
// when it has forgotten so much that it should give up with "memory".

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "checker/lin/memory_budget.h"

namespace faultline {

class SearchCache {
 public:
  // The table does not grow when rehashing it could take past `deadline`.
  SearchCache(std::size_t words_per_set, MemoryBudget& budget,
              std::chrono::steady_clock::time_point deadline =
                  std::chrono::steady_clock::time_point::max());
  ~SearchCache();
  SearchCache(const SearchCache&) = delete;
  SearchCache& operator=(const SearchCache&) = delete;

  // Records the configuration; false if it was already recorded.
  bool insert(std::uint64_t hash, std::uint64_t state, const std::uint64_t* bits);

  bool thrashing() const { return !near_deadline_ && evictions_ > 2 * capacity_ + 65536; }
  std::size_t bytes() const { return reserved_; }

 private:
  static constexpr std::size_t kProbes = 8;
  std::uint64_t* slot(std::size_t i) { return table_.data() + i * stride_; }
  bool grow();
  bool place(std::uint64_t hash, std::uint64_t state, const std::uint64_t* bits, bool evict);

  std::size_t words_;
  std::size_t stride_;
  MemoryBudget& budget_;
  std::chrono::steady_clock::time_point deadline_;
  std::vector<std::uint64_t> table_;
  std::size_t capacity_ = 0;  // slots, a power of two
  std::size_t count_ = 0;
  std::size_t reserved_ = 0;
  std::size_t evictions_ = 0;
  bool can_grow_ = true;
  bool near_deadline_ = false;
};

}  // namespace faultline
