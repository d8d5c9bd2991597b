// Grudges and targets: which pairs of nodes each partition kind cuts, and which nodes a target
// selects, on real node lists.

#include "nemesis/grudge.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "nemesis/targets.h"

namespace faultline::nemesis {
namespace {

const std::vector<std::string> kFive{"n1", "n2", "n3", "n4", "n5"};

using Pairs = std::set<std::pair<std::string, std::string>>;

// Every ordered pair between two groups, both directions.
Pairs cut(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  Pairs pairs;
  for (const auto& x : a) {
    for (const auto& y : b) {
      pairs.emplace(x, y);
      pairs.emplace(y, x);
    }
  }
  return pairs;
}

TEST(Grudge, HalvesCutsFirstHalfFromTheRestBothWays) {
  std::mt19937_64 rng(1);
  auto grudge = compute_grudge(GrudgeKind::kHalves, kFive, rng);
  EXPECT_EQ(blocked_pairs(grudge), cut({"n1", "n2"}, {"n3", "n4", "n5"}));
}

TEST(Grudge, OneIsolatesExactlyOneNode) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    std::mt19937_64 rng(seed);
    auto grudge = compute_grudge(GrudgeKind::kOne, kFive, rng);
    // The isolated node is the one holding a grudge against all four others.
    std::string lone;
    for (const auto& [node, others] : grudge) {
      if (others.size() == 4) lone = node;
    }
    ASSERT_FALSE(lone.empty());
    std::vector<std::string> rest;
    for (const auto& n : kFive) {
      if (n != lone) rest.push_back(n);
    }
    EXPECT_EQ(blocked_pairs(grudge), cut({lone}, rest));
  }
}

TEST(Grudge, BridgeNodeTalksToBothSides) {
  std::mt19937_64 rng(1);
  auto grudge = compute_grudge(GrudgeKind::kBridge, kFive, rng);
  EXPECT_EQ(blocked_pairs(grudge), cut({"n1", "n2"}, {"n4", "n5"}));
  EXPECT_FALSE(grudge.contains("n3"));
}

TEST(Grudge, MajoritiesRingLetsEveryNodeSeeADistinctMajority) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    std::mt19937_64 rng(seed);
    auto grudge = compute_grudge(GrudgeKind::kMajoritiesRing, kFive, rng);
    std::set<std::set<std::string>> views;
    for (const auto& node : kFive) {
      std::set<std::string> sees(kFive.begin(), kFive.end());
      for (const auto& other : grudge[node]) sees.erase(other);
      EXPECT_EQ(sees.size(), 3u) << node;  // itself and its two ring neighbours
      views.insert(sees);
    }
    EXPECT_EQ(views.size(), 5u);
    // Symmetric for an odd ring: if a drops b, b drops a.
    for (const auto& [from, to] : blocked_pairs(grudge)) {
      EXPECT_TRUE(grudge[from].contains(to)) << from << " " << to;
    }
  }
}

TEST(Grudge, MinorityThirdAndRandomHalvesSplitIntoTwoComponents) {
  std::mt19937_64 rng(7);
  auto third = compute_grudge(GrudgeKind::kMinorityThird, kFive, rng);
  std::size_t isolated = std::count_if(third.begin(), third.end(),
                                       [](const auto& kv) { return kv.second.size() == 4; });
  EXPECT_EQ(isolated, 1u);  // ⌊(5-1)/3⌋ = 1 node cut from 4
  auto halves = compute_grudge(GrudgeKind::kRandomHalves, kFive, rng);
  EXPECT_EQ(blocked_pairs(halves).size(), 12u);  // 2 x 3 nodes, both directions
}

TEST(Grudge, PrimariesAreEachAlone) {
  std::mt19937_64 rng(1);
  auto grudge = compute_grudge(GrudgeKind::kPrimaries, kFive, rng, {"n2", "n4"});
  EXPECT_EQ(grudge["n2"], (std::set<std::string>{"n1", "n3", "n4", "n5"}));
  EXPECT_EQ(grudge["n4"], (std::set<std::string>{"n1", "n2", "n3", "n5"}));
  EXPECT_EQ(grudge["n1"], (std::set<std::string>{"n2", "n4"}));
  EXPECT_THROW(compute_grudge(GrudgeKind::kPrimaries, kFive, rng, {}), std::invalid_argument);
}

TEST(Grudge, SameSeedSameGrudge) {
  for (GrudgeKind kind : {GrudgeKind::kRandomHalves, GrudgeKind::kOne, GrudgeKind::kMajoritiesRing,
                          GrudgeKind::kMinorityThird}) {
    std::mt19937_64 a(42), b(42);
    EXPECT_EQ(compute_grudge(kind, kFive, a), compute_grudge(kind, kFive, b)) << to_string(kind);
  }
}

TEST(Grudge, NamesRoundTripAndTooFewNodesIsAnError) {
  for (GrudgeKind kind : all_grudge_kinds()) EXPECT_EQ(parse_grudge_kind(to_string(kind)), kind);
  EXPECT_FALSE(parse_grudge_kind("halfs"));
  std::mt19937_64 rng(1);
  EXPECT_THROW(compute_grudge(GrudgeKind::kHalves, {"n1"}, rng), std::invalid_argument);
}

TEST(Targets, SizesAndNames) {
  std::mt19937_64 rng(3);
  EXPECT_EQ(select_targets(parse_target("one"), kFive, rng).size(), 1u);
  EXPECT_EQ(select_targets(parse_target("minority"), kFive, rng).size(), 2u);
  EXPECT_EQ(select_targets(parse_target("majority"), kFive, rng).size(), 3u);
  EXPECT_EQ(select_targets(parse_target("all"), kFive, rng), kFive);
  EXPECT_EQ(select_targets(parse_target("n4,n2"), kFive, rng),
            (std::vector<std::string>{"n2", "n4"}));
  EXPECT_THROW(select_targets(parse_target("n9"), kFive, rng), std::invalid_argument);
  EXPECT_THROW(select_targets(parse_target("primaries"), kFive, rng), std::invalid_argument);
  EXPECT_EQ(select_targets(parse_target("primaries"), kFive, rng, {"n3"}),
            (std::vector<std::string>{"n3"}));
}

}  // namespace
}  // namespace faultline::nemesis
