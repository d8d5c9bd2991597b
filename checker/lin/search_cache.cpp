#include "checker/lin/search_cache.h"

#include <algorithm>
#include <cstring>

namespace faultline {

SearchCache::SearchCache(std::size_t words_per_set, MemoryBudget& budget,
                         std::chrono::steady_clock::time_point deadline)
    : words_(words_per_set), stride_(2 + words_per_set), budget_(budget), deadline_(deadline) {
  std::size_t capacity = 64;
  while (capacity > 16 && !budget_.try_reserve(capacity * stride_ * 8)) capacity /= 4;
  if (capacity <= 16) {
    capacity = 16;  // too small to matter; counted anyway
    budget_.try_reserve(capacity * stride_ * 8);
  }
  capacity_ = capacity;
  reserved_ = capacity_ * stride_ * 8;
  table_.assign(capacity_ * stride_, 0);
}

SearchCache::~SearchCache() {
  budget_.release(reserved_);
}

bool SearchCache::insert(std::uint64_t hash, std::uint64_t state, const std::uint64_t* bits) {
  if (hash == 0) hash = 1;  // 0 marks an empty slot
  const std::size_t mask = capacity_ - 1;
  const std::size_t home = hash & mask;
  for (std::size_t k = 0; k < kProbes; ++k) {
    std::uint64_t* s = slot((home + k) & mask);
    if (s[0] == 0) break;
    if (s[0] == hash && s[1] == state && std::memcmp(s + 2, bits, words_ * 8) == 0) return false;
  }
  if ((count_ + 1) * 2 > capacity_ && can_grow_) can_grow_ = grow();
  place(hash, state, bits, true);
  return true;
}

bool SearchCache::place(std::uint64_t hash, std::uint64_t state, const std::uint64_t* bits,
                        bool evict) {
  const std::size_t mask = capacity_ - 1;
  const std::size_t home = hash & mask;
  std::uint64_t* target = nullptr;
  for (std::size_t k = 0; k < kProbes; ++k) {
    std::uint64_t* s = slot((home + k) & mask);
    if (s[0] == 0) {
      target = s;
      ++count_;
      break;
    }
  }
  if (target == nullptr) {
    if (!evict) return false;
    // Replace a slot picked by the hash's high bits, so that no slot is favoured.
    target = slot((home + (hash >> 61)) & mask);
    ++evictions_;
  }
  target[0] = hash;
  target[1] = state;
  std::memcpy(target + 2, bits, words_ * 8);
  return true;
}

bool SearchCache::grow() {
  // Doubling adds as much again; while rehashing, the old table is held too.
  const std::size_t bytes = capacity_ * stride_ * 8;
  // Zeroing and filling the new table (first touch of every page) was measured at under
  // 1 GB/s on a loaded 2-vCPU machine; the estimate keeps a margin.
  constexpr double kBytesPerSecond = 4e8;
  if (deadline_ != std::chrono::steady_clock::time_point::max() &&
      std::chrono::steady_clock::now() +
              std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                  std::chrono::duration<double>(3.0 * bytes / kBytesPerSecond)) >
          deadline_) {
    near_deadline_ = true;  // evicting from here on is the time limit's doing, not memory's
    return false;
  }
  if (!budget_.try_reserve(2 * bytes)) return false;
  std::vector<std::uint64_t> old;
  old.swap(table_);
  const std::size_t old_capacity = capacity_;
  capacity_ *= 2;
  reserved_ += bytes;
  struct ReleaseOld {
    MemoryBudget& budget;
    std::vector<std::uint64_t>& old;
    std::size_t bytes;
    ~ReleaseOld() {
      std::vector<std::uint64_t>().swap(old);
      budget.release(bytes);
    }
  } release_old{budget_, old, bytes};
  table_.assign(capacity_ * stride_, 0);
  count_ = 0;
  for (std::size_t i = 0; i < old_capacity; ++i) {
    const std::uint64_t* s = old.data() + i * stride_;
    if (s[0] != 0) place(s[0], s[1], s + 2, false);  // rare overflow: forgotten, which is sound
  }
  return true;
}

}  // namespace faultline
