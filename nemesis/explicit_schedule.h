#pragma once
// FaultSchedule: the faults of a run as data, what `schedule.json` holds (docs/shrinking.md).
// Every run writes the schedule it applied; `faultline test --schedule FILE` applies one
// exactly (NemesisSchedule's explicit mode, schedule.h), `replay` and `shrink` build on both.
//
// Each fault says everything its start needs, so applying it draws nothing at random: the kind,
// when it starts and how long it lasts (ms from the run's origin, the history's time 0), the
// nodes by name (a partition's drops, node -> the nodes whose packets it drops; the targets of
// the other kinds), and the kind's parameters (clock mode, offset, strategy; packet spec).
//
//   {"schema": "faultline.schedule/1",
//    "faults": [
//      {"kind": "partition", "at_ms": 5000, "duration_ms": 5000, "grudge": "one",
//       "drops": {"n1": ["n2", "n3"], "n2": ["n1"], "n3": ["n1"]}},
//      {"kind": "kill", "at_ms": 15000, "duration_ms": 5000, "targets": ["n2"]},
//      {"kind": "clock", "at_ms": 25000, "duration_ms": 5000, "targets": ["n3"],
//       "mode": "bump", "offset_ms": -2300, "strategy": "faketime"},
//      {"kind": "packet", "at_ms": 35000, "duration_ms": 5000, "targets": ["n1"],
//       "packet": {"loss_percent": 20}}]}
//
// Faults of one kind never overlap (a kind's stop undoes it on every node); faults of
// different kinds may.

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "nemesis/fault.h"

namespace faultline::nemesis {

inline constexpr const char* kScheduleSchema = "faultline.schedule/1";

struct ScheduledFault {
  FaultKind kind = FaultKind::kPartition;
  std::int64_t at_ms = 0;        // start, from the run's origin
  std::int64_t duration_ms = 0;  // until its stop
  // partition
  std::string grudge;  // the shape's name as recorded ("one", "halves"...); informative
  Grudge drops;        // node -> the nodes it drops packets from
  // clock, kill, pause, packet
  std::vector<std::string> targets;
  // clock
  ClockMode clock_mode = ClockMode::kBump;
  std::int64_t offset_ms = 0;
  ClockStrategy clock_strategy = ClockStrategy::kAuto;
  std::int64_t strobe_period_ms = 200;
  std::int64_t strobe_duration_ms = 2'000;
  // packet
  PacketSpec packet;
  // Why its start failed on some nodes, when it did (informative; it is applied again).
  std::string error;

  std::int64_t end_ms() const { return at_ms + duration_ms; }
  // The nodes it acts on: a partition's nodes that drop or are dropped, else the targets.
  std::vector<std::string> nodes() const;
  // "partition one (n1 | n2 n3) at 5.0 s for 5.0 s"
  std::string describe() const;
  // The options that make make_fault's fault apply exactly this.
  FaultOptions options() const;
};

struct FaultSchedule {
  std::vector<ScheduledFault> faults;  // sorted by at_ms

  std::vector<FaultKind> kinds() const;  // distinct, in order of first use
  std::int64_t end_ms() const;           // when the last fault ends; 0 without faults
};

boost::json::object to_json(const ScheduledFault& fault);
boost::json::object to_json(const FaultSchedule& schedule);

// Reads a schedule document; throws std::invalid_argument "faults[2].duration_ms: must be ..."
// naming the field and the problem. Sorts the faults by start; refuses overlapping faults of
// one kind.
FaultSchedule schedule_from_json(const boost::json::value& document);

// Reads schedule.json at `path`. Throws InputMissing (cannot open) or InputError
// "FILE:LINE:COL: problem" (syntax, or a field: the line of the fault it is in).
FaultSchedule load_schedule(const std::filesystem::path& path);

// The fault a recorded `start-<kind>` operation's value describes (the value each fault's
// start records, fault.h), starting at `at_ms` and lasting `duration_ms`. Throws
// std::invalid_argument when the value lacks what the kind needs.
ScheduledFault scheduled_fault_from_start(FaultKind kind, const boost::json::object& value,
                                          std::int64_t at_ms, std::int64_t duration_ms);

// Throws FaultRefused naming a node of the schedule that is not one of `names`.
void check_schedule_nodes(const FaultSchedule& schedule, const std::vector<std::string>& names);

}  // namespace faultline::nemesis
