// Schedules replay with their seed; the node-side rules and offsets faultline generates say
// exactly what they should, and refuse input that would smuggle shell or nft syntax in.

#include "nemesis/schedule.h"

#include <gtest/gtest.h>

#include "nemesis/faketime.h"
#include "nemesis/firewall.h"
#include "nemesis/packet_spec.h"

namespace faultline::nemesis {
namespace {

TEST(Schedule, SameSeedSamePlanDifferentSeedDifferentPlan) {
  const std::vector<FaultKind> kinds{FaultKind::kPartition, FaultKind::kClock, FaultKind::kKill,
                                     FaultKind::kPause, FaultKind::kPacket};
  auto a = NemesisSchedule::plan(kinds, 17, 50);
  EXPECT_EQ(a, NemesisSchedule::plan(kinds, 17, 50));
  EXPECT_NE(a, NemesisSchedule::plan(kinds, 18, 50));
  // Every kind comes up in a long enough schedule.
  for (FaultKind kind : kinds) EXPECT_NE(std::find(a.begin(), a.end(), kind), a.end());
}

TEST(Schedule, ParsesKindLists) {
  EXPECT_EQ(parse_fault_kinds("partition,clock"),
            (std::vector<FaultKind>{FaultKind::kPartition, FaultKind::kClock}));
  EXPECT_EQ(parse_fault_kinds("all").size(), all_fault_kinds().size());
  EXPECT_THROW(parse_fault_kinds("partition,flood"), std::invalid_argument);
  EXPECT_THROW(parse_fault_kinds(""), std::invalid_argument);
}

TEST(Firewall, PartitionSetHoldsExactlyTheSources) {
  auto script = nft_set_fill_script(kPartitionTable, {"10.0.0.2", "10.0.0.3"});
  EXPECT_EQ(script,
            "flush set inet faultline_partition blocked\n"
            "add element inet faultline_partition blocked { 10.0.0.2, 10.0.0.3 }\n");
  EXPECT_EQ(nft_set_fill_script(kPartitionTable, {}),
            "flush set inet faultline_partition blocked\n");
}

TEST(Firewall, LossRuleUsesRandomDropPerSource) {
  auto script = nft_rules_fill_script(kPacketTable, {"10.0.0.2"}, 0.25);
  EXPECT_NE(script.find("ip saddr 10.0.0.2 numgen random mod 10000 < 2500 drop"),
            std::string::npos);
  EXPECT_THROW(nft_rules_fill_script(kPacketTable, {"10.0.0.2"}, 0.0), std::invalid_argument);
}

TEST(Firewall, RefusesAnythingButIpv4Addresses) {
  EXPECT_THROW(nft_set_fill_script(kPartitionTable, {"10.0.0.2 }; flush ruleset; {"}),
               std::invalid_argument);
  EXPECT_THROW(nft_set_fill_script(kPartitionTable, {"$(reboot)"}), std::invalid_argument);
}

TEST(Faketime, OffsetsUseLibfaketimeSecondsSyntax) {
  EXPECT_EQ(format_faketime_offset(30'000), "+30.000");
  EXPECT_EQ(format_faketime_offset(-1'500), "-1.500");
  EXPECT_EQ(format_faketime_offset(0), "+0.000");
  EXPECT_EQ(format_faketime_offset(-7), "-0.007");
}

TEST(Faketime, LaunchPutsLibfaketimeOnTheProgramOnly) {
  remote::Node node;
  node.name = "n2";
  node.local = true;
  node.cluster = "demo";
  auto argv = faketime_launch_argv(node, {"postgres", "-D", "/data"});
  ASSERT_GE(argv.size(), 8u);
  EXPECT_EQ(argv[0], "sh");
  EXPECT_NE(argv[2].find("exec env LD_PRELOAD="), std::string::npos);
  EXPECT_NE(argv[2].find("FAKETIME_DONT_FAKE_MONOTONIC=1"), std::string::npos);
  EXPECT_EQ(argv[5], "/run/faultline/nemesis/demo/n2/faketime");
  EXPECT_EQ((std::vector<std::string>(argv.end() - 3, argv.end())),
            (std::vector<std::string>{"postgres", "-D", "/data"}));
}

TEST(Packet, WithoutNetemOnlyLossAndRateAreApplied) {
  PacketSpec spec;
  spec.delay_ms = 50;
  spec.loss_percent = 20;
  spec.rate = "1mbit";
  PacketCapabilities caps;
  caps.tc = caps.nft = true;
  caps.note = "Specified qdisc kind is unknown.";
  PacketPlan plan = plan_packet(spec, caps);
  ASSERT_TRUE(plan.nft_loss);
  EXPECT_DOUBLE_EQ(*plan.nft_loss, 0.2);
  EXPECT_EQ(plan.htb_rate, "1mbit");
  ASSERT_EQ(plan.refused.size(), 1u);
  EXPECT_NE(plan.refused[0].find("delay 50ms"), std::string::npos);
  EXPECT_NE(plan.refused[0].find("no netem"), std::string::npos);
  EXPECT_FALSE(plan.applied.contains("delay_ms"));

  caps.netem = true;
  PacketPlan with = plan_packet(spec, caps);
  EXPECT_TRUE(with.refused.empty());
  EXPECT_EQ(with.qdisc, "netem delay 50ms loss 20% rate 1mbit");
}

TEST(Packet, ValidatesItsNumbers) {
  PacketSpec spec;
  spec.reorder_percent = 10;
  EXPECT_THROW(spec.validate(), std::invalid_argument);  // reorder needs delay
  EXPECT_THROW(parse_percent("120"), std::invalid_argument);
  EXPECT_THROW(parse_percent("ten"), std::invalid_argument);
  EXPECT_DOUBLE_EQ(parse_percent("30%"), 30.0);
  PacketSpec rate;
  rate.rate = "1mbit; reboot";
  EXPECT_THROW(rate.validate(), std::invalid_argument);
}

}  // namespace
}  // namespace faultline::nemesis
