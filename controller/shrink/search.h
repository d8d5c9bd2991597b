#pragma once
// The shrink search: from a failing run's fault schedule and time limit, the smallest
// candidate that still fails with the same anomaly, found by running candidates.
//
// Phases, each keeping every change that still fails (docs/shrinking.md):
//   faults      delta debugging over the fault events (Zeller's ddmin on complements): drop
//               halves, then quarters, ... then single faults; finally the empty schedule
//   durations   halve each remaining fault's duration while it still fails (not below 500 ms)
//   time        move the whole schedule earlier (the first fault at 1 s), then halve the time
//               limit towards the end of the last fault plus 2 s
//   targets     each fault on fewer nodes: all -> a minority -> one node (a partition: the
//               nodes it cuts off -> one of them alone)
//
// A candidate is run up to `runs_per_candidate` times and fails ("reproduces") as soon as one
// run shows the anomaly: real clusters are not deterministic, so a single passing run proves
// nothing. The minimal candidate is then run `runs_per_candidate` times more to state its
// reproduction rate. The search never decides anything from a run that did not happen: when
// the run function says the budget is spent, the search stops with the best candidate so far.
//
// Pure: the runs are a function the caller gives (cmd_shrink.cpp: real runs; tests: a
// predicate over schedules).

#include <boost/json.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "nemesis/explicit_schedule.h"

namespace faultline {

struct ShrinkCandidate {
  nemesis::FaultSchedule schedule;
  double time_limit_s = 60;
};

// One run of a candidate.
struct CandidateRun {
  enum class Outcome { kReproduced, kNotReproduced, kNoBudget };
  Outcome outcome = Outcome::kNotReproduced;
  std::string dir;     // its run directory ("" when none was made)
  std::string detail;  // e.g. the anomalies it showed, or why it failed to run
};

// Runs `candidate` once; `label` names it ("c07", with `attempt` 1..N). Returns kNoBudget
// (and runs nothing, or discards a run cut short) when the budget does not allow it.
using RunCandidate = std::function<CandidateRun(const ShrinkCandidate& candidate,
                                                const std::string& label, int attempt)>;

struct ShrinkOptions {
  int runs_per_candidate = 3;
  std::vector<std::string> nodes;       // the cluster's (minority = ⌊(n-1)/2⌋, at least 1)
  std::int64_t min_duration_ms = 500;   // durations are not halved below this
  std::int64_t first_fault_ms = 1'000;  // where the time phase moves the first fault
  double time_slack_s = 2;              // time limit floor: last fault's end + this
  std::function<void(const std::string&)> log;  // one line per step; may be empty
};

struct ShrinkStep {
  std::string label;  // "c07"
  std::string phase;  // faults, durations, time, targets, confirm
  std::string description;
  ShrinkCandidate candidate;
  int runs = 0, reproduced = 0;
  std::vector<std::string> run_dirs;
  bool accepted = false;  // it failed, so the search went on from it
  bool complete = true;   // false: the budget ended it before its runs were done
};

struct ShrinkResult {
  ShrinkCandidate original, minimal;
  std::vector<ShrinkStep> steps;
  int confirm_runs = 0, confirm_reproduced = 0;  // the minimal candidate's final runs
  std::vector<std::string> confirm_dirs;
  // Why the search ended: "done" (every phase tried), "budget" (the run function said so).
  std::string stopped = "done";
};

ShrinkResult shrink_schedule(const ShrinkCandidate& original, const RunCandidate& run,
                             const ShrinkOptions& options);

boost::json::object to_json(const ShrinkCandidate& candidate);
boost::json::object to_json(const ShrinkStep& step);

}  // namespace faultline
