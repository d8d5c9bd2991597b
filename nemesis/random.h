#pragma once
// Seeded choices that give the same result on every platform: the standard distributions
// (std::uniform_int_distribution, std::shuffle) are implementation-defined, so a seed would
// not replay the same schedule across standard libraries.

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace faultline::nemesis {

// A number in [0, n); n > 0. (Modulo bias is negligible for the small n used here.)
inline std::size_t pick_index(std::mt19937_64& rng, std::size_t n) {
  return static_cast<std::size_t>(rng() % n);
}

// A double in [0, 1).
inline double pick_unit(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Fisher-Yates with pick_index.
template <typename T>
void seeded_shuffle(std::vector<T>& items, std::mt19937_64& rng) {
  for (std::size_t i = items.size(); i > 1; --i) {
    std::swap(items[i - 1], items[pick_index(rng, i)]);
  }
}

}  // namespace faultline::nemesis
