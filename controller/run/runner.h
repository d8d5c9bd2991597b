#pragma once
// The run: the lifecycle of one `faultline test`.
//
//  before anything starts  validate the configuration (TestPlan), find the nodes (bringing
//                          up the local cluster if it is the default and absent), connect to
//                          every node, and ask the nemesis whether its faults can take effect
//  per test (test_count)   a fresh run directory; the database set up from scratch; the
//                          workload's setup operations; client workers and the nemesis
//                          schedule (own thread) until the time limit (or Ctrl-C); then the
//                          final phase: heal everything, wait for the cluster to recover, run
//                          the workload's final operations on every node; download the
//                          database's logs, tear the database down; check the history
//                          read back from disk; write results.json and print the verdict
//
// Errors before a run starts throw (UsageError 64, unreachable nodes 69). A failure during a
// run still heals, downloads logs and tears down before it is thrown.

#include "controller/run/test_config.h"

namespace faultline {

// Runs the plan `test_count` times; returns the worst verdict's exit code.
int run_tests(const TestPlan& plan);

}  // namespace faultline
