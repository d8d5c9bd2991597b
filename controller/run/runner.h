#pragma once
// The run: the lifecycle of one `faultline test`.
//
//  before anything starts  validate the configuration (TestPlan), find the nodes (bringing
//                          up the local cluster if it is the default and absent), make the
//                          database (once: run_database.h; refuses a workload it has no client
//                          for), connect to every node, and ask the nemesis whether its faults
//                          can take effect
//  per test (test_count)   a fresh run directory (RunContext), then the phases of phases.h:
//                          prepare, clients and faults, recover, final reads, (tear down),
//                          check, report
//
// Errors before a run starts throw (UsageError 64, unreachable nodes 69). A failure during a
// run still heals, downloads logs and tears down before it is thrown.

#include "controller/run/test_config.h"

namespace faultline {

// Runs the plan `test_count` times; returns the worst verdict's exit code.
int run_tests(const TestPlan& plan);

// Ends the run in progress early, as Ctrl-C does (healing, tearing down and checking as
// usual); safe from any thread. A run that starts later is not affected: call it again.
// `faultline shrink` uses it to keep its budget.
void interrupt_current_run();

}  // namespace faultline
