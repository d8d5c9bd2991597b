#pragma once
// A run directory read back to run its test again: `faultline replay` and every candidate of
// `faultline shrink` start from it. test.json says the store (or the test file that describes
// it), workload and its options, settings, nodes, time limit and seed; schedule.json the
// faults applied; results.json the verdict and anomalies.

#include <boost/json.hpp>
#include <filesystem>
#include <string>

#include "controller/run/test_config.h"
#include "nemesis/explicit_schedule.h"

namespace faultline {

struct RecordedRun {
  std::filesystem::path dir;
  boost::json::object test;     // test.json
  boost::json::object results;  // results.json; empty when the run never finished
  nemesis::FaultSchedule schedule;
  std::uint64_t seed = 0;  // the run's own seed (test.json "seed")
  std::size_t node_count = 0;
};

// Reads dir/test.json (required), dir/schedule.json (required) and dir/results.json (if
// present). Throws InputMissing naming what is missing, InputError for malformed files.
RecordedRun read_recorded_run(const std::filesystem::path& dir);

// The configuration that runs the recorded test again: the same store (its test file's, when
// it had one), workload and options, settings, nodes, time limit, seed (the run's own, so
// each worker chooses the same operations) and, as --schedule, the run's schedule.json; one
// test. Throws UsageError when the test file is gone or the configuration no longer
// validates.
TestConfig replay_config(const RecordedRun& run);

}  // namespace faultline
