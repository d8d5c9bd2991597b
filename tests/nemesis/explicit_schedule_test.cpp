// schedule.json (nemesis/explicit_schedule.h): what a run writes reads back the same, a start
// operation's record becomes the fault that replays it, and a bad file is refused with its
// file, line and field.

#include "nemesis/explicit_schedule.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "checker/history/input_error.h"
#include "nemesis/errors.h"

namespace faultline::nemesis {
namespace {

namespace fs = std::filesystem;

FaultSchedule sample() {
  FaultSchedule s;
  ScheduledFault p;
  p.kind = FaultKind::kPartition;
  p.at_ms = 2'000;
  p.duration_ms = 3'000;
  p.grudge = "one";
  p.drops = complete_grudge({{"n1"}, {"n2", "n3"}});
  ScheduledFault c;
  c.kind = FaultKind::kClock;
  c.at_ms = 4'000;
  c.duration_ms = 1'000;
  c.targets = {"n2"};
  c.clock_mode = ClockMode::kStrobe;
  c.offset_ms = -1'500;
  c.clock_strategy = ClockStrategy::kFaketime;
  c.strobe_period_ms = 100;
  c.strobe_duration_ms = 800;
  ScheduledFault k;
  k.kind = FaultKind::kPacket;
  k.at_ms = 6'000;
  k.duration_ms = 2'000;
  k.targets = {"n1", "n3"};
  k.packet.loss_percent = 20;
  s.faults = {p, c, k};
  return s;
}

fs::path write(const std::string& name, const std::string& text) {
  fs::path file = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << text;
  return file;
}

TEST(ExplicitSchedule, WhatARunWritesReadsBackTheSame) {
  const std::string json = boost::json::serialize(to_json(sample()));
  FaultSchedule back = schedule_from_json(boost::json::parse(json));
  EXPECT_EQ(boost::json::serialize(to_json(back)), json);
  EXPECT_EQ(back.kinds(),
            (std::vector<FaultKind>{FaultKind::kPartition, FaultKind::kClock, FaultKind::kPacket}));
  EXPECT_EQ(back.end_ms(), 8'000);
  // The options fix every choice a start would otherwise draw.
  FaultOptions o = back.faults[1].options();
  ASSERT_TRUE(o.target);
  EXPECT_EQ(o.target->kind, TargetSpec::Kind::kNamed);
  EXPECT_EQ(o.target->names, std::vector<std::string>{"n2"});
  EXPECT_EQ(o.clock_mode, ClockMode::kStrobe);
  EXPECT_EQ(o.offset_ms, -1'500);
  EXPECT_EQ(o.strobe_period_ms, 100);
  ASSERT_TRUE(back.faults[0].options().drops);
  EXPECT_EQ(*back.faults[0].options().drops, sample().faults[0].drops);
  EXPECT_EQ(back.faults[0].nodes(), (std::vector<std::string>{"n1", "n2", "n3"}));
}

TEST(ExplicitSchedule, AStartRecordBecomesTheFaultThatReplaysIt) {
  // As PartitionFault and ProcessFault record their starts.
  auto partition = boost::json::parse(
                       R"({"grudge": "halves", "drops": {"n1": ["n3"], "n2": ["n3"],
                           "n3": ["n1", "n2"]}, "mechanism": "nft table inet x"})")
                       .as_object();
  ScheduledFault p = scheduled_fault_from_start(FaultKind::kPartition, partition, 1'200, 900);
  EXPECT_EQ(p.grudge, "halves");
  EXPECT_EQ(p.drops, complete_grudge({{"n1", "n2"}, {"n3"}}));
  EXPECT_EQ(p.at_ms, 1'200);
  EXPECT_EQ(p.duration_ms, 900);
  auto kill =
      boost::json::parse(R"({"signal": "SIGKILL", "targets": ["n2"], "nodes": {}})").as_object();
  EXPECT_EQ(scheduled_fault_from_start(FaultKind::kKill, kill, 0, 1).targets,
            std::vector<std::string>{"n2"});
  auto clock = boost::json::parse(R"({"strategy": "faketime", "mode": "bump", "offset_ms": 2500,
                                      "targets": ["n1"], "nodes": {}})")
                   .as_object();
  ScheduledFault c = scheduled_fault_from_start(FaultKind::kClock, clock, 0, 1);
  EXPECT_EQ(c.offset_ms, 2'500);
  EXPECT_EQ(c.clock_strategy, ClockStrategy::kFaketime);
  EXPECT_THROW(scheduled_fault_from_start(FaultKind::kPause, boost::json::object{}, 0, 1),
               std::invalid_argument);
}

TEST(ExplicitSchedule, ABadFileNamesItsLineAndField) {
  auto error_of = [](const fs::path& file) {
    try {
      load_schedule(file);
    } catch (const InputError& e) {
      fs::remove(file);
      return std::string(e.what());
    }
    fs::remove(file);
    return std::string("no error");
  };
  fs::path f = write("dur",
                     "{\"faults\": [\n  {\"kind\": \"kill\", \"at_ms\": 0, \"duration_ms\": 5,"
                     " \"targets\": [\"n1\"]},\n  {\"kind\": \"kill\", \"at_ms\": 9,\n"
                     "   \"duration_ms\": -5, \"targets\": [\"n1\"]}\n]}\n");
  EXPECT_EQ(error_of(f), f.string() + ":3:3: faults[1].duration_ms: must be positive");
  f = write("kind", "{\"faults\": [{\"kind\": \"flood\", \"at_ms\": 0, \"duration_ms\": 5}]}");
  EXPECT_NE(error_of(f).find(":1:13: faults[0].kind: unknown kind 'flood'"), std::string::npos);
  f = write("syntax", "{\"faults\": [\n {\"kind\": \"kill\",, }]}");
  EXPECT_NE(error_of(f).find(":2:18: not JSON"), std::string::npos);
  f = write("overlap",
            R"({"faults": [{"kind": "pause", "at_ms": 0, "duration_ms": 5000, "targets": ["n1"]},
                {"kind": "pause", "at_ms": 4000, "duration_ms": 5000, "targets": ["n2"]}]})");
  EXPECT_NE(error_of(f).find("faults[1]: overlaps faults[0], both pause"), std::string::npos);
  f = write("packet", R"({"faults": [{"kind": "packet", "at_ms": 0, "duration_ms": 5,
                          "targets": ["n1"], "packet": {"loss_percent": 300}}]})");
  EXPECT_NE(error_of(f).find("faults[0].packet"), std::string::npos);
  EXPECT_THROW(load_schedule("/nonexistent/schedule.json"), InputMissing);
}

TEST(ExplicitSchedule, RefusesNodesTheRunDoesNotHave) {
  EXPECT_NO_THROW(check_schedule_nodes(sample(), {"n1", "n2", "n3"}));
  try {
    check_schedule_nodes(sample(), {"n1", "n2"});
    FAIL() << "no error";
  } catch (const FaultRefused& e) {
    EXPECT_NE(std::string(e.what()).find("names node 'n3'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace faultline::nemesis
