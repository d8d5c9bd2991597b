#pragma once
// RunContext: what the phases of one run share (phases.h). The runner fills the first block;
// each phase fills what it produces, in order: Prepare opens the history and its recorder,
// ClientsAndFaults leaves the nemesis' errors, Check leaves the history read back and the
// verdict.
//
// The recorder is made in one place, Prepare (open_recorder in phases.cpp): anything that
// wants each operation as it is recorded (the online check) attaches there. `stop` ends the
// clients-and-faults phase early from any thread.

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "adapters/db.h"
#include "checker/history/history.h"
#include "controller/run/analysis.h"
#include "controller/run/online_run.h"
#include "controller/run/progress.h"
#include "controller/run/recorder.h"
#include "controller/run/run_store.h"
#include "controller/run/test_config.h"
#include "remote/local_cluster.h"
#include "remote/node_set.h"
#include "workloads/workload.h"

namespace faultline {

struct RunContext {
  using Clock = std::chrono::steady_clock;

  RunContext(const TestPlan& plan, std::size_t index, const remote::NodesFile& nodes_file,
             remote::NodeSet& nodes, adapters::Database& db, std::size_t concurrency, bool terminal,
             const std::atomic<bool>& interrupted);

  // Given by the runner.
  const TestPlan& plan;
  std::size_t index;  // 0-based, of plan.config.test_count
  const remote::NodesFile& nodes_file;
  remote::NodeSet& nodes;
  adapters::Database& db;
  std::size_t concurrency;
  bool terminal;                         // stderr is a terminal: live progress line
  const std::atomic<bool>& interrupted;  // Ctrl-C / SIGTERM
  std::uint64_t seed;
  RunStore store;  // created with the context: the run's own directory
  RunLog log;
  std::unique_ptr<Workload> workload;
  adapters::ClientOptions client_options;  // the clients' (and convergence reads')
  // request_stop(): the clients-and-faults phase ends early (--stop-on-invalid's first proof).
  std::stop_source stop;

  // Prepare: the history being written.
  std::ofstream history_file;
  Clock::time_point origin;
  std::unique_ptr<HistoryRecorder> recorder;
  // Prepare: the online check the recorder feeds (online_run.h); null when the workload has
  // none. Check finishes it. Declared after the recorder: destroyed before it.
  std::unique_ptr<OnlineRun> online;
  // Set, before `stop` is requested, when --stop-on-invalid ended the client phase:
  // results.json's "stopped_early" {at_ns, reason, operation, kind}.
  std::optional<boost::json::object> stopped_early;
  // ClientsAndFaults.
  FaultTracker faults;
  std::optional<std::vector<std::string>> nemesis_errors;  // set when a nemesis ran
  // Check.
  History history;
  RunVerdict verdict;
  bool have_report = false;  // Report wrote report.html
};

}  // namespace faultline
