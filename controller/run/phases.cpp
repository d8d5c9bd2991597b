#include "controller/run/phases.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "checker/staleness/tradeoff.h"
#include "controller/run/mode_text.h"
#include "faultline/version.h"
#include "reports/html_report.h"
#include "reports/run_report.h"

namespace faultline {
namespace {

// Process ids of the setup and final operations, far above any worker's (w + k * concurrency).
constexpr std::int64_t kSetupProcessBase = 1'000'000'000;
constexpr std::int64_t kFinalProcessBase = 2'000'000'000;

// The adapter's client, as a workload's final phase sees it.
class AdapterNodeClient final : public NodeClient {
 public:
  explicit AdapterNodeClient(std::unique_ptr<adapters::Client> client)
      : client_(std::move(client)) {}
  Operation invoke(const Operation& op) override { return client_->invoke(op); }

 private:
  std::unique_ptr<adapters::Client> client_;
};

// With --stop-on-invalid, the online check's first proof ends the client phase (on the
// check's thread; `stopped_early` is written before the stop is requested, which publishes it).
void stop_at_first_proof(RunContext& run, const OnlineProof& proof) {
  if (!run.plan.config.stop_on_invalid || run.stop.stop_requested()) return;
  run.stopped_early = boost::json::object{{"at_ns", run.recorder->now_ns()},
                                          {"reason", proof.reason},
                                          {"operation", proof.operation},
                                          {"kind", proof.kind}};
  run.stop.request_stop();
}

// The history file and its recorder: the one place operations enter the history. The online
// check, when the workload has one, sees every operation as it is recorded.
void open_recorder(RunContext& run) {
  run.history_file.open(run.store.history_path(), std::ios::binary | std::ios::trunc);
  if (!run.history_file)
    throw std::runtime_error("cannot write " + run.store.history_path().string());
  run.origin = RunContext::Clock::now();
  run.recorder = std::make_unique<HistoryRecorder>(&run.history_file, run.origin);
  run.online = OnlineRun::make(
      *run.workload, run.concurrency, run.plan.config.check_time_limit_s, run.store.dir(),
      [&run](const OnlineProof& proof) { stop_at_first_proof(run, proof); });
  if (run.online) {
    run.recorder->set_observer(
        [online = run.online.get()](const Operation& op) { online->observe(op); });
  }
}

// results.json's "online" (the online check's verdict beside the offline one, which it must
// equal) and "stopped_early"; the summary says when and why the clients stopped.
void add_online_results(RunContext& run) {
  RunVerdict& verdict = run.verdict;
  if (run.online) {
    run.online->finish();
    boost::json::object online = run.online->to_json();
    const std::string offline(to_string(verdict.verdict));
    if (online.at("verdict").as_string() != offline) {
      run.log.line("warning: the online check's verdict (" +
                   std::string(online.at("verdict").as_string()) +
                   ") differs from the offline one (" + offline + ")");
    }
    verdict.results["online"] = std::move(online);
  }
  if (run.stopped_early) {
    const boost::json::object& s = *run.stopped_early;
    char at[32];
    std::snprintf(at, sizeof at, "%.1f", static_cast<double>(s.at("at_ns").as_int64()) / 1e9);
    verdict.summary += "stopped early at " + std::string(at) +
                       " s (--stop-on-invalid): " + std::string(s.at("reason").as_string()) + "\n";
    verdict.results["stopped_early"] = s;
  }
}

// The workload's side of the nodes, the recorder and the run's log (workloads/final_phase.h).
FinalPhaseContext node_access(RunContext& run) {
  FinalPhaseContext context;
  context.nodes = run.nodes.names();
  context.first_process = kFinalProcessBase;
  context.convergence_timeout =
      std::chrono::milliseconds(static_cast<long>(run.plan.config.convergence_timeout_s * 1000));
  context.client_for = [&run](const std::string& node, FinalReads reads) {
    adapters::ClientOptions options = run.client_options;
    if (reads == FinalReads::kDurable) {
      // Final reads ask what survived, not how fresh one replica is: always linearizable.
      options.linearizable_reads = true;
      options.timeout = std::max(options.timeout, std::chrono::milliseconds(5'000));
    }
    return std::make_unique<AdapterNodeClient>(run.db.client(node, options));
  };
  context.record_invoke = [&run](Operation& op) { run.recorder->invoke(op); };
  context.record_complete = [&run](Operation& op) { run.recorder->complete(op); };
  context.history_so_far = [&run] { return read_run_history(run.store.history_path(), nullptr); };
  context.log = [&run](const std::string& line) { run.log.line(line); };
  return context;
}

// The workload's setup operations on the first node, each until ok (5 attempts, 1 s apart).
void run_setup_ops(RunContext& run) {
  FinalPhaseContext access = node_access(run);
  std::int64_t process = kSetupProcessBase;
  for (const Operation& op : run.workload->setup_ops()) {
    if (!run_until_ok(access, op, access.nodes.front(), process, 5, FinalReads::kAsRun)) {
      throw adapters::DatabaseError("the workload's setup operation '" + op.f +
                                    "' never succeeded");
    }
  }
}

}  // namespace

void write_test_json(RunContext& run, const std::string& db_version) {
  boost::json::array nodes;
  for (const auto& n : run.nodes.nodes()) {
    nodes.push_back({{"name", n.name},
                     {"host", n.host},
                     {"port", n.port},
                     {"user", n.user},
                     {"local", n.local}});
  }
  boost::json::object test{{"schema", "faultline.test/1"},
                           {"name", run.plan.test_name},
                           {"run", run.index + 1},
                           {"started", local_time("%Y-%m-%dT%H:%M:%S%z")},
                           {"faultline_version", kVersion},
                           {"db", {{"name", run.plan.config.db}, {"version", db_version}}},
                           {"seed", run.seed},
                           {"concurrency", run.concurrency},
                           {"config", config_json(run.plan)},
                           {"workload", run.workload->config()},
                           {"nodes", std::move(nodes)}};
  if (run.nodes_file.local) test["local_cluster"] = run.nodes_file.cluster;
  run.store.write_json("test.json", test);
}

DatabaseOnNodes::~DatabaseOnNodes() {
  if (!up_) return;
  try {
    run_.db.attach_history({});  // no watcher may outlive the run's recorder
    run_.db.download_logs(run_.store.nodes_dir());
    run_.db.teardown();
  } catch (const std::exception& e) {
    run_.log.line(std::string("cleanup after failure: ") + e.what());
  }
}

void DatabaseOnNodes::set_up() {
  up_ = true;  // a setup that fails half-way is torn down too
  run_.db.setup();
}

void DatabaseOnNodes::tear_down() {
  up_ = false;
  run_.db.download_logs(run_.store.nodes_dir());
  run_.db.teardown();
}

void Prepare::run(RunContext& run) {
  database_.set_up();
  write_test_json(run, run.db.version());
  open_recorder(run);
  run_setup_ops(run);
  // What the adapter sees of the database while the clients run (a failover) goes to the
  // history too, until FinalPhase closes it.
  run.db.attach_history([&run](Operation op) { run.recorder->nemesis(std::move(op)); });
}

void Recover::run(RunContext& run) {
  if (run.workload->final_ops().empty() && run.plan.faults.empty()) return;
  bool healthy = run.db.wait_healthy(
      std::chrono::milliseconds(static_cast<long>(run.plan.config.recovery_timeout_s * 1000)));
  run.log.line(healthy ? "cluster recovered"
                       : "cluster did not recover in time; final reads may fail");
}

void FinalPhase::run(RunContext& run) {
  FinalPhaseContext context = node_access(run);
  run.workload->final_phase(context);
  run.db.attach_history({});
  run.history_file.close();  // the history is complete
}

void Check::run(RunContext& run) {
  run.history = read_run_history(run.store.history_path(),
                                 [&run](const std::string& w) { run.log.line("warning: " + w); });
  CheckBudget budget;
  budget.time_limit_s = run.plan.config.check_time_limit_s;
  run.log.line("checking " + std::to_string(run.history.ops.size()) + " history records with " +
               run.workload->checker());
  RunVerdict& verdict = run.verdict;
  verdict = check_run(*run.workload, run.history, budget);
  try {  // the measured trade-off (checker/staleness/tradeoff.h); never fails the run
    verdict.results["tradeoff"] = tradeoff_summary(
        run.history, verdict.results,
        TradeoffOptions{mode_text(run.plan.config), run.plan.config.convergence_timeout_s});
  } catch (const std::exception& e) {
    run.log.line(std::string("trade-off summary: ") + e.what());
  }
  verdict.results["run"] = {{"test", run.plan.test_name},
                            {"dir", run.store.dir().string()},
                            {"seed", run.seed},
                            {"interrupted", run.interrupted.load()}};
  if (run.nemesis_errors) {
    boost::json::array errors;
    for (const auto& e : *run.nemesis_errors) errors.push_back(boost::json::string(e));
    verdict.results["nemesis_errors"] = std::move(errors);
  }
  add_online_results(run);
  run.store.write_json("results.json", verdict.results);
  // Report prints the verdict on stdout; on stderr too it would show twice.
  run.log.note("verdict: " + std::string(to_string(verdict.verdict)));
}

void Report::run(RunContext& run) {
  const auto report_path = run.store.dir() / "report.html";
  try {
    write_html_report(
        run.history, run.verdict.results,
        read_json_object(run.store.dir() / "test.json", false).value_or(boost::json::object{}),
        report_path);
    run.have_report = true;
  } catch (const std::exception& e) {
    run.log.line(std::string("report: ") + e.what());
    std::cerr << "faultline: could not write the report: " << e.what() << "\n";
  }
  std::cout << run.verdict.summary << "verdict: " << to_string(run.verdict.verdict)
            << "\nrun: " << run.store.dir().string() << "\n";
  if (run.have_report) std::cout << "report: " << report_path.string() << "\n";
  std::cout.flush();
}

}  // namespace faultline
