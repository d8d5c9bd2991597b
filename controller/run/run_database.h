#pragma once
// The database of one run of a `faultline test`: made by make_run_database, the one place an
// adapter is built, once per run. The first run's is made before anything starts and answers
// the checks (workload, settings, faults); each later run gets a fresh one, so no adapter state
// (a leader it learnt, a failover it saw) crosses from one run into the next. Its log lines go
// to the current run's faultline.log (RunLogRelay).
//
// nemesis_hooks bridges the adapter's knowledge (leaders, processes, libfaketime) to the
// nemesis, which may not include adapters/.

#include <memory>
#include <mutex>
#include <string>

#include "adapters/db.h"
#include "controller/run/run_store.h"
#include "controller/run/test_config.h"
#include "nemesis/schedule.h"
#include "remote/node_set.h"

namespace faultline {

// Forwards lines to the run that is under way; lines while no run is (the checks before the
// first run) are dropped. Thread-safe.
class RunLogRelay {
 public:
  void attach(RunLog* log);  // null: detach
  void line(const std::string& text);

 private:
  std::mutex mutex_;
  RunLog* log_ = nullptr;
};

// The one place a run's Database is made: the adapter for plan.config.db with the plan's
// settings, on `nodes` (which must outlive it), logging through `relay` (likewise), for run
// `index` (0-based; it names the run's cluster, e.g. etcd's initial-cluster-token). Throws
// UsageError when the adapter refuses the settings (e.g. more replicas than nodes) and when
// it has no client for the plan's workload.
std::unique_ptr<adapters::Database> make_run_database(const TestPlan& plan, remote::NodeSet& nodes,
                                                      std::size_t index, RunLogRelay& relay);

// The nemesis' view of `db` (leaders, processes, clock support). `db` must outlive the hooks.
nemesis::NemesisHooks nemesis_hooks(adapters::Database& db);

}  // namespace faultline
