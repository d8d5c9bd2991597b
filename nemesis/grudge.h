#pragma once
// A grudge says, for each node, which other nodes it refuses to hear from: a partition is
// applied by dropping, on each node, every packet arriving from the nodes it holds a grudge
// against. Grudges are computed from the node names alone (and a seeded random generator for
// the random kinds), so a schedule with the same seed partitions the same way.
//
// Kinds (after Jepsen's jepsen.nemesis):
//   halves          first ⌊n/2⌋ nodes | the rest
//   random-halves   the same after shuffling
//   one             one random node | the rest
//   majorities-ring every node sees a majority (itself and its ring neighbours), no two the same
//   bridge          two halves that only one node (the bridge) can talk to
//   minority-third  a random ⌊(n-1)/3⌋ (at least 1) | the rest
//   primaries       each primary alone | the non-primaries together (primaries from the adapter)

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace faultline::nemesis {

enum class GrudgeKind {
  kHalves,
  kRandomHalves,
  kOne,
  kMajoritiesRing,
  kBridge,
  kMinorityThird,
  kPrimaries
};

std::string_view to_string(GrudgeKind kind);
std::optional<GrudgeKind> parse_grudge_kind(std::string_view name);
// Every kind, in declaration order (for help texts and random choice).
const std::vector<GrudgeKind>& all_grudge_kinds();

// node -> the nodes whose packets it drops. Nodes without a grudge are absent.
using Grudge = std::map<std::string, std::set<std::string>>;

// Each node drops traffic from every node outside its own component. Nodes in no component
// (e.g. a bridge) hold no grudge and nobody holds one against them.
Grudge complete_grudge(const std::vector<std::vector<std::string>>& components);

// Computes the grudge of `kind` over `nodes` (at least 2). `primaries` is only read for
// kPrimaries and must name at least one of `nodes`. Throws std::invalid_argument otherwise.
Grudge compute_grudge(GrudgeKind kind, const std::vector<std::string>& nodes, std::mt19937_64& rng,
                      const std::vector<std::string>& primaries = {});

// The ordered pairs (from, to) whose packets are dropped at `to`: traffic from `from` cannot
// reach `to`.
std::set<std::pair<std::string, std::string>> blocked_pairs(const Grudge& grudge);

// {"n1": ["n3", "n4"], ...}
boost::json::object grudge_to_json(const Grudge& grudge);

}  // namespace faultline::nemesis
