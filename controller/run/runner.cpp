#include "controller/run/runner.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>

#include "controller/errors.h"
#include "controller/exit_codes.h"
#include "controller/run/phases.h"
#include "controller/run/run_database.h"
#include "nemesis/errors.h"
#include "nemesis/schedule.h"
#include "remote/errors.h"
#include "remote/local_cluster.h"

namespace faultline {

namespace {

using namespace std::chrono_literals;

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) {
  g_interrupted.store(true);
  // A second Ctrl-C kills at once.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

// Ctrl-C / SIGTERM end the current run early (healing, tearing down and checking as usual).
class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted.store(false);
    old_int_ = std::signal(SIGINT, on_interrupt);
    old_term_ = std::signal(SIGTERM, on_interrupt);
  }
  ~InterruptGuard() {
    std::signal(SIGINT, old_int_);
    std::signal(SIGTERM, old_term_);
  }

 private:
  void (*old_int_)(int);
  void (*old_term_)(int);
};

remote::NodesFile find_nodes(const TestPlan& plan) {
  const remote::NodeOptions& o = plan.config.nodes;
  if (o.nodes.empty() && o.nodes_file.empty()) {
    remote::validate_cluster_name(o.cluster);
    if (!remote::cluster_status(o.cluster).healthy()) {
      std::cerr << "faultline: bringing up the local cluster '" << o.cluster << "' ("
                << plan.config.cluster_size << " nodes)\n";
      try {
        remote::cluster_up(remote::LocalClusterSpec{o.cluster, plan.config.cluster_size, {}});
      } catch (const remote::ConfigError&) {
        throw;
      } catch (const std::exception& e) {
        throw UnavailableError("cannot bring up the local cluster '" + o.cluster +
                               "': " + e.what());
      }
    }
  }
  return remote::resolve_nodes(o);
}

// Refuses faults that cannot take effect on `db` (UsageError), before anything starts.
void check_faults(const TestPlan& plan, remote::NodeSet& nodes, adapters::Database& db) {
  if (plan.faults.empty()) return;
  try {
    if (plan.schedule) {
      nemesis::NemesisSchedule check(
          nodes, *plan.schedule, [](Operation) {}, nemesis_hooks(db));
      check.check();
      return;
    }
    nemesis::NemesisSchedule check(
        nodes, plan.faults, 1s, plan.seed, [](Operation) {}, nemesis_hooks(db));
    check.check();
  } catch (const nemesis::FaultRefused& e) {
    throw UsageError(std::string(plan.schedule ? "--schedule " + plan.config.schedule_file + ": "
                                               : std::string("--nemesis: ")) +
                     e.what());
  }
}

// One run of the test: its own directory, database from scratch, history, verdict.
class Run {
 public:
  Run(RunLogRelay& relay, const TestPlan& plan, std::size_t index,
      const remote::NodesFile& nodes_file, remote::NodeSet& nodes, adapters::Database& db,
      std::size_t concurrency, bool terminal)
      : run_(plan, index, nodes_file, nodes, db, concurrency, terminal, g_interrupted),
        relay_(relay) {
    relay_.attach(&run_.log);  // the database's log lines go to this run's log
  }
  ~Run() { relay_.attach(nullptr); }

  int execute();

 private:
  RunContext run_;
  RunLogRelay& relay_;
};

int Run::execute() {
  run_.log.line("run " + std::to_string(run_.index + 1) + "/" +
                std::to_string(run_.plan.config.test_count) + ": " + run_.plan.test_name +
                ", seed " + std::to_string(run_.seed) + ", " + std::to_string(run_.concurrency) +
                " clients on " + std::to_string(run_.nodes.nodes().size()) + " nodes, directory " +
                run_.store.dir().string());
  write_test_json(run_, "");
  {
    DatabaseOnNodes database(run_);  // from here the nodes are left clean and their logs kept
    Prepare(database).run(run_);
    ClientsAndFaults().run(run_);
    Recover().run(run_);
    FinalPhase().run(run_);
    database.tear_down();
  }
  Check().run(run_);
  Report().run(run_);
  return exit_code(run_.verdict.verdict);
}

}  // namespace

void interrupt_current_run() {
  g_interrupted.store(true);
}

int run_tests(const TestPlan& plan) {
  remote::NodesFile nodes_file = find_nodes(plan);
  remote::NodeSet nodes(nodes_file.nodes);
  RunLogRelay relay;
  // The first run's database. Refuses a workload it has no client for and settings it rejects,
  // before a node is asked.
  std::unique_ptr<adapters::Database> db = make_run_database(plan, nodes, 0, relay);
  std::size_t concurrency = parse_concurrency(plan.config.concurrency, nodes.nodes().size());
  nodes.connect_all();  // unreachable nodes: exit 69 before anything starts
  check_faults(plan, nodes, *db);

  bool terminal = ::isatty(STDERR_FILENO) == 1;
  InterruptGuard interrupts;
  int worst = kExitValid;
  for (int i = 0; i < plan.config.test_count && !g_interrupted.load(); ++i) {
    const auto index = static_cast<std::size_t>(i);
    try {
      if (index > 0) db = make_run_database(plan, nodes, index, relay);
      Run run(relay, plan, index, nodes_file, nodes, *db, concurrency, terminal);
      worst = worse_exit_code(worst, run.execute());
    } catch (const adapters::DatabaseError& e) {
      throw UnavailableError(e.what());
    }
  }
  return worst;
}

}  // namespace faultline
