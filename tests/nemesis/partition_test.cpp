// Each grudge, applied to a real 5-node cluster, blocks TCP exactly between the pairs it names
// and no others; healing restores every pair.

#include <sstream>

#include "nemesis/firewall.h"
#include "tests/nemesis/nemesis_fixture.h"

namespace faultline::nemesis::testing {
namespace {

class PartitionTest : public NemesisTest {
 protected:
  // (from, to) pairs whose TCP connection to sshd (port 22) fails, probed from every node in
  // parallel, each peer in parallel, with a 0.6 s connect timeout.
  std::set<std::pair<std::string, std::string>> unreachable() {
    std::map<std::string, std::string> by_address;
    for (const auto& n : names()) by_address[address(n)] = n;
    std::set<std::pair<std::string, std::string>> out;
    auto results = nodes_->run_each(names(), [&](const remote::Node& node) {
      std::vector<std::string> argv{
          "sh", "-c",
          "for a in \"$@\"; do ( if timeout 0.6 bash -c 'exec 3<>\"/dev/tcp/$1/22\"' _ \"$a\" "
          "2>/dev/null; then echo \"$a ok\"; else echo \"$a blocked\"; fi ) & done; wait",
          "sh"};
      for (const auto& n : names()) {
        if (n != node.name) argv.push_back(address(n));
      }
      return remote::Command(argv);
    });
    for (const auto& [from, result] : results) {
      std::istringstream lines(result.out);
      std::string addr, verdict;
      int seen = 0;
      while (lines >> addr >> verdict) {
        ++seen;
        if (verdict == "blocked") out.emplace(from, by_address.at(addr));
      }
      EXPECT_EQ(seen, 4) << from << ": " << result.out << result.err;
    }
    return out;
  }
};

TEST_F(PartitionTest, EachGrudgeBlocksExactlyItsPairsAndHealRestoresAll) {
  bring_up("part", 5);
  ASSERT_TRUE(unreachable().empty());
  for (GrudgeKind kind :
       {GrudgeKind::kHalves, GrudgeKind::kRandomHalves, GrudgeKind::kOne,
        GrudgeKind::kMajoritiesRing, GrudgeKind::kBridge, GrudgeKind::kMinorityThird}) {
    SCOPED_TRACE(std::string(to_string(kind)));
    FaultOptions options;
    options.grudge = kind;
    auto fault = make_fault(FaultKind::kPartition, options, *context_);
    std::mt19937_64 rng(11);
    Operation op = fault->start(rng);
    // The recorded grudge is the truth the network must show: a connection from a to b fails
    // iff b drops a's packets or a drops b's replies.
    Grudge grudge;
    for (const auto& [node, from] : op.value.at("drops").as_object()) {
      for (const auto& other : from.as_array()) {
        grudge[std::string(node)].insert(std::string(other.as_string()));
      }
    }
    std::set<std::pair<std::string, std::string>> expected;
    for (const auto& [from, to] : blocked_pairs(grudge)) {
      expected.emplace(from, to);
      expected.emplace(to, from);
    }
    EXPECT_FALSE(expected.empty());
    EXPECT_EQ(unreachable(), expected);
    EXPECT_EQ(op.extra.at("effective").as_object().size(), 5u);
    fault->stop();
    EXPECT_TRUE(unreachable().empty());
  }
}

TEST_F(PartitionTest, ARandomShapeNeverFailsForWantOfPrimaries) {
  // A database that can name primaries but has none (a test file without `primaries`): the
  // random shapes that need one are replaced by another shape, never refused.
  NemesisHooks hooks;
  hooks.primaries = [] { return std::vector<std::string>{}; };
  bring_up("noprim", 3, std::move(hooks));
  auto fault = make_fault(FaultKind::kPartition, FaultOptions{}, *context_);
  std::mt19937_64 rng(3);
  std::set<std::string> shapes;
  for (int i = 0; i < 12; ++i) {
    Operation op = fault->start(rng);
    const std::string shape(op.value.at("grudge").as_string());
    EXPECT_NE(shape, "primaries");
    shapes.insert(shape);
    fault->stop();
  }
  EXPECT_GT(shapes.size(), 2u);
}

TEST_F(PartitionTest, HealRemovesFaultlinesTableAndNothingElse) {
  bring_up("own", 3);
  // A rule of the node's own, which faultline must leave alone.
  auto own = on("n1", remote::Command{"nft", "add table inet mine; add chain inet mine c"});
  ASSERT_TRUE(own.ok()) << own.err;
  FaultOptions options;
  options.grudge = GrudgeKind::kOne;
  std::mt19937_64 rng(1);
  make_fault(FaultKind::kPartition, options, *context_)->start(rng);
  EXPECT_NE(on("n1", remote::Command{"nft", "list", "tables"}).out.find("faultline_partition"),
            std::string::npos);
  heal_all(*context_);
  for (const auto& n : names()) {
    std::string tables = on(n, remote::Command{"nft", "list", "tables"}).out;
    EXPECT_EQ(tables.find("faultline"), std::string::npos) << n << ": " << tables;
  }
  EXPECT_NE(on("n1", remote::Command{"nft", "list", "tables"}).out.find("inet mine"),
            std::string::npos);
}

}  // namespace
}  // namespace faultline::nemesis::testing
