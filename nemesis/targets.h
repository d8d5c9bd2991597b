#pragma once
// Which nodes a fault (clock, kill, pause, packet) hits: `one`, `minority`, `majority`, `all`,
// `primaries` (asked of the adapter), or a comma-separated list of node names.

#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::nemesis {

struct TargetSpec {
  enum class Kind { kOne, kMinority, kMajority, kAll, kPrimaries, kNamed };
  Kind kind = Kind::kOne;
  std::vector<std::string> names;  // kNamed only

  std::string to_string() const;  // as parsed: "one", "n1,n3", ...
};

// Parses a target; throws std::invalid_argument on an empty text.
TargetSpec parse_target(std::string_view text);

// The nodes `spec` selects among `nodes` (in the order of `nodes`). minority = ⌊(n-1)/2⌋ but
// at least 1, majority = ⌊n/2⌋+1, chosen at random. Throws std::invalid_argument for a named
// node that is not in `nodes`, or `primaries` when `primaries` is empty (no adapter said).
std::vector<std::string> select_targets(const TargetSpec& spec,
                                        const std::vector<std::string>& nodes, std::mt19937_64& rng,
                                        const std::vector<std::string>& primaries = {});

}  // namespace faultline::nemesis
