#include "nemesis/grudge.h"

#include <algorithm>
#include <stdexcept>

#include "nemesis/random.h"

namespace faultline::nemesis {
namespace {

struct KindName {
  GrudgeKind kind;
  std::string_view name;
};
constexpr KindName kKindNames[] = {
    {GrudgeKind::kHalves, "halves"},
    {GrudgeKind::kRandomHalves, "random-halves"},
    {GrudgeKind::kOne, "one"},
    {GrudgeKind::kMajoritiesRing, "majorities-ring"},
    {GrudgeKind::kBridge, "bridge"},
    {GrudgeKind::kMinorityThird, "minority-third"},
    {GrudgeKind::kPrimaries, "primaries"},
};

using Names = std::vector<std::string>;

Grudge split_grudge(const Names& nodes, std::size_t first_size) {
  Names a(nodes.begin(), nodes.begin() + static_cast<std::ptrdiff_t>(first_size));
  Names b(nodes.begin() + static_cast<std::ptrdiff_t>(first_size), nodes.end());
  return complete_grudge({a, b});
}

// Windows of a majority of consecutive nodes around a shuffled ring; each window's middle
// node drops everything outside its window. For odd n the result is symmetric.
Grudge majorities_ring(Names nodes, std::mt19937_64& rng) {
  seeded_shuffle(nodes, rng);
  const std::size_t n = nodes.size();
  const std::size_t majority = n / 2 + 1;
  Grudge grudge;
  for (std::size_t start = 0; start < n; ++start) {
    std::set<std::string> window;
    for (std::size_t k = 0; k < majority; ++k) window.insert(nodes[(start + k) % n]);
    const std::string& middle = nodes[(start + majority / 2) % n];
    for (const auto& other : nodes) {
      if (!window.contains(other)) grudge[middle].insert(other);
    }
  }
  return grudge;
}

}  // namespace

std::string_view to_string(GrudgeKind kind) {
  for (const auto& kn : kKindNames) {
    if (kn.kind == kind) return kn.name;
  }
  return "?";
}

std::optional<GrudgeKind> parse_grudge_kind(std::string_view name) {
  for (const auto& kn : kKindNames) {
    if (kn.name == name) return kn.kind;
  }
  return std::nullopt;
}

const std::vector<GrudgeKind>& all_grudge_kinds() {
  static const std::vector<GrudgeKind> kinds = [] {
    std::vector<GrudgeKind> out;
    for (const auto& kn : kKindNames) out.push_back(kn.kind);
    return out;
  }();
  return kinds;
}

Grudge complete_grudge(const std::vector<std::vector<std::string>>& components) {
  Grudge grudge;
  for (std::size_t i = 0; i < components.size(); ++i) {
    for (const auto& node : components[i]) {
      for (std::size_t j = 0; j < components.size(); ++j) {
        if (i == j) continue;
        for (const auto& other : components[j]) grudge[node].insert(other);
      }
    }
  }
  return grudge;
}

Grudge compute_grudge(GrudgeKind kind, const std::vector<std::string>& nodes, std::mt19937_64& rng,
                      const std::vector<std::string>& primaries) {
  if (nodes.size() < 2) {
    throw std::invalid_argument("a partition needs at least 2 nodes, got " +
                                std::to_string(nodes.size()));
  }
  const std::size_t n = nodes.size();
  switch (kind) {
    case GrudgeKind::kHalves:
      return split_grudge(nodes, n / 2);
    case GrudgeKind::kRandomHalves: {
      Names shuffled = nodes;
      seeded_shuffle(shuffled, rng);
      return split_grudge(shuffled, n / 2);
    }
    case GrudgeKind::kOne: {
      Names rest = nodes;
      const std::string lone = rest[pick_index(rng, n)];
      std::erase(rest, lone);
      return complete_grudge({{lone}, rest});
    }
    case GrudgeKind::kMajoritiesRing:
      return majorities_ring(nodes, rng);
    case GrudgeKind::kBridge: {
      if (n < 3) throw std::invalid_argument("a bridge partition needs at least 3 nodes");
      Names a(nodes.begin(), nodes.begin() + static_cast<std::ptrdiff_t>(n / 2));
      Names b(nodes.begin() + static_cast<std::ptrdiff_t>(n / 2 + 1), nodes.end());
      return complete_grudge({a, b});  // nodes[n/2] is in neither: it bridges
    }
    case GrudgeKind::kMinorityThird: {
      Names shuffled = nodes;
      seeded_shuffle(shuffled, rng);
      return split_grudge(shuffled, std::max<std::size_t>(1, (n - 1) / 3));
    }
    case GrudgeKind::kPrimaries: {
      std::vector<Names> components;
      Names rest;
      for (const auto& node : nodes) {
        if (std::find(primaries.begin(), primaries.end(), node) != primaries.end()) {
          components.push_back({node});
        } else {
          rest.push_back(node);
        }
      }
      if (components.empty()) {
        throw std::invalid_argument(
            "the primaries grudge needs at least one primary among the nodes");
      }
      components.push_back(rest);
      return complete_grudge(components);
    }
  }
  throw std::invalid_argument("unknown grudge kind");
}

std::set<std::pair<std::string, std::string>> blocked_pairs(const Grudge& grudge) {
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& [to, froms] : grudge) {
    for (const auto& from : froms) pairs.emplace(from, to);
  }
  return pairs;
}

boost::json::object grudge_to_json(const Grudge& grudge) {
  boost::json::object out;
  for (const auto& [node, others] : grudge) {
    boost::json::array list;
    for (const auto& other : others) list.emplace_back(other);
    out[node] = std::move(list);
  }
  return out;
}

}  // namespace faultline::nemesis
