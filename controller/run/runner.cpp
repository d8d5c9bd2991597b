#include "controller/run/runner.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>

#include "adapters/db.h"
#include "checker/staleness/tradeoff.h"
#include "controller/compare/modes.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"
#include "controller/run/analysis.h"
#include "controller/run/convergence_reads.h"
#include "controller/run/progress.h"
#include "controller/run/recorder.h"
#include "controller/run/run_store.h"
#include "controller/run/workers.h"
#include "faultline/version.h"
#include "nemesis/errors.h"
#include "nemesis/faketime.h"
#include "nemesis/schedule.h"
#include "remote/errors.h"
#include "remote/local_cluster.h"
#include "reports/html_report.h"
#include "reports/run_report.h"

namespace faultline {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Process ids of the setup and final operations, far above any worker's (w + k * concurrency).
constexpr std::int64_t kSetupProcessBase = 1'000'000'000;
constexpr std::int64_t kFinalProcessBase = 2'000'000'000;

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

// The adapter's knowledge of its processes, as the nemesis asks for it.
class AdapterProcessControl final : public nemesis::ProcessControl {
 public:
  explicit AdapterProcessControl(adapters::Database& db) : db_(db) {}
  nemesis::ProcessSelector processes(const remote::Node& node) const override {
    adapters::ProcessLocation where = db_.process_location(node);
    return nemesis::ProcessSelector{where.pid_file, where.process_name};
  }
  std::optional<remote::Command> restart_command(const remote::Node& node) const override {
    return db_.restart_command(node);
  }

 private:
  adapters::Database& db_;
};

nemesis::NemesisHooks hooks_for(adapters::Database& db) {
  nemesis::NemesisHooks hooks;
  hooks.primaries = [&db] { return db.primaries(); };
  hooks.processes = std::make_shared<AdapterProcessControl>(db);
  if (!db.honours_faketime()) {
    hooks.clock = nemesis::ClockSkewDeclaration{nemesis::ClockSkewSupport::kSystemOnly,
                                                db.name(), db.faketime_note()};
  }
  return hooks;
}

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
        throw UnavailableError("cannot bring up the local cluster '" + o.cluster + "': " + e.what());
      }
    }
  }
  return remote::resolve_nodes(o);
}

// One run of the test: its own directory, database from scratch, history, verdict.
class Run {
 public:
  Run(const TestPlan& plan, std::size_t index, const remote::NodesFile& nodes_file,
      remote::NodeSet& nodes, std::size_t concurrency, bool terminal)
      : plan_(plan),
        index_(index),
        nodes_file_(nodes_file),
        nodes_(nodes),
        concurrency_(concurrency),
        terminal_(terminal),
        seed_(plan.seed + index),
        store_(RunStore::create(plan.config.store, plan.test_name)),
        log_(store_.dir() / "faultline.log", true, terminal) {
    WorkloadOptions options = plan.config.workload_options;
    options.seed = seed_;
    workload_ = make_workload(plan.config.workload, options);
    adapters::DatabaseOptions db_options;
    db_options.run_id = plan.test_name + "-" + store_.dir().filename().string();
    db_options.log = [this](const std::string& line) { log_.line(line); };
    db_options.settings = plan.config.db_settings;
    db_options.faketime_environment = nemesis::faketime_environment;
    db_ = store_of(plan.config).make(nodes_, db_options);
    client_options_.workload = plan.config.workload;
    client_options_.linearizable_reads = plan.linearizable_reads;
    client_options_.timeout = std::chrono::milliseconds(plan.config.op_timeout_ms);
  }

  int execute();

 private:
  void write_test_json(const std::string& db_version);
  void run_setup_ops(HistoryRecorder& recorder);
  void run_final_ops(HistoryRecorder& recorder);
  // Register runs: reads every key on every node until they agree (convergence_reads.h).
  void run_convergence_reads(HistoryRecorder& recorder);
  // Runs `op` on `node` until ok, at most `attempts` times, each attempt a fresh process.
  bool run_until_ok(HistoryRecorder& recorder, const Operation& op, const std::string& node,
                    std::int64_t& next_process, const adapters::ClientOptions& options,
                    int attempts);
  void wait_for_time_limit();

  const TestPlan& plan_;
  std::size_t index_;
  const remote::NodesFile& nodes_file_;
  remote::NodeSet& nodes_;
  std::size_t concurrency_;
  bool terminal_;
  std::uint64_t seed_;
  RunStore store_;
  RunLog log_;
  std::unique_ptr<Workload> workload_;
  std::unique_ptr<adapters::Database> db_;
  adapters::ClientOptions client_options_;
};

void Run::write_test_json(const std::string& db_version) {
  boost::json::array nodes;
  for (const auto& n : nodes_.nodes()) {
    nodes.push_back({{"name", n.name}, {"host", n.host}, {"port", n.port}, {"user", n.user},
                     {"local", n.local}});
  }
  boost::json::object test{{"schema", "faultline.test/1"},
                           {"name", plan_.test_name},
                           {"run", index_ + 1},
                           {"started", local_time("%Y-%m-%dT%H:%M:%S%z")},
                           {"faultline_version", kVersion},
                           {"db", {{"name", plan_.config.db}, {"version", db_version}}},
                           {"seed", seed_},
                           {"concurrency", concurrency_},
                           {"config", config_json(plan_)},
                           {"workload", workload_->config()},
                           {"nodes", std::move(nodes)}};
  if (nodes_file_.local) test["local_cluster"] = nodes_file_.cluster;
  store_.write_json("test.json", test);
}

bool Run::run_until_ok(HistoryRecorder& recorder, const Operation& templ, const std::string& node,
                       std::int64_t& next_process, const adapters::ClientOptions& options,
                       int attempts) {
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(1s);
    Operation op = templ;
    op.process = next_process++;
    op.node = node;
    recorder.invoke(op);
    Operation done = db_->client(node, options)->invoke(op);
    done.process = op.process;
    recorder.complete(done);
    if (done.type == OpType::kOk) return true;
    log_.line(op.f + " on " + node + " attempt " + std::to_string(attempt + 1) + ": " +
              std::string(to_string(done.type)) +
              (done.error ? " (" + boost::json::serialize(*done.error) + ")" : ""));
  }
  return false;
}

void Run::run_setup_ops(HistoryRecorder& recorder) {
  std::int64_t process = kSetupProcessBase;
  for (const Operation& op : workload_->setup_ops()) {
    if (!run_until_ok(recorder, op, nodes_.names().front(), process, client_options_, 5)) {
      throw adapters::DatabaseError("the workload's setup operation '" + op.f + "' never succeeded");
    }
  }
}

void Run::run_final_ops(HistoryRecorder& recorder) {
  // Final reads ask what survived, not how fresh one replica is: always linearizable.
  adapters::ClientOptions options = client_options_;
  options.linearizable_reads = true;
  options.timeout = std::max(options.timeout, std::chrono::milliseconds(5'000));
  std::int64_t process = kFinalProcessBase;
  for (const Operation& op : workload_->final_ops()) {
    for (const std::string& node : nodes_.names()) {
      if (!run_until_ok(recorder, op, node, process, options, 3)) {
        log_.line("final " + op.f + " on " + node + " never succeeded");
      }
    }
  }
}

void Run::run_convergence_reads(HistoryRecorder& recorder) {
  History so_far = read_run_history(store_.history_path(), nullptr);
  ConvergenceReadPlan plan;
  plan.nodes = nodes_.names();
  plan.keys = register_keys(so_far);
  plan.timeout =
      std::chrono::milliseconds(static_cast<long>(plan_.config.convergence_timeout_s * 1000));
  plan.first_process = kFinalProcessBase + 100'000'000;
  ConvergenceReadOutcome out = read_until_converged(
      recorder, [this](const std::string& node) { return db_->client(node, client_options_); },
      plan);
  for (const auto& e : out.errors) log_.line("convergence reads: " + e);
  log_.line("convergence reads: " + std::to_string(out.converged_keys) + " of " +
            std::to_string(plan.keys.size()) + " keys agreed on every node after " +
            std::to_string(out.rounds) + " round(s), " + std::to_string(out.reads) + " reads" +
            (out.timed_out ? " (timed out)" : ""));
}

void Run::wait_for_time_limit() {
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(plan_.config.time_limit_s));
  while (Clock::now() < deadline && !g_interrupted.load()) std::this_thread::sleep_for(50ms);
  if (g_interrupted.load()) log_.line("interrupted: ending the run early");
}

int Run::execute() {
  log_.line("run " + std::to_string(index_ + 1) + "/" + std::to_string(plan_.config.test_count) +
            ": " + plan_.test_name + ", seed " + std::to_string(seed_) + ", " +
            std::to_string(concurrency_) + " clients on " + std::to_string(nodes_.nodes().size()) +
            " nodes, directory " + store_.dir().string());
  write_test_json("");

  // Whatever happens from here, the nodes are left clean and their logs kept.
  struct Cleanup {
    Run& run;
    bool armed = true;
    ~Cleanup() {
      if (!armed) return;
      try {
        run.db_->download_logs(run.store_.nodes_dir());
        run.db_->teardown();
      } catch (const std::exception& e) {
        run.log_.line(std::string("cleanup after failure: ") + e.what());
      }
    }
  } cleanup{*this};

  db_->setup();
  write_test_json(db_->version());

  std::ofstream history(store_.history_path(), std::ios::binary | std::ios::trunc);
  if (!history) throw std::runtime_error("cannot write " + store_.history_path().string());
  const auto origin = Clock::now();
  HistoryRecorder recorder(&history, origin);
  run_setup_ops(recorder);

  FaultTracker faults;
  std::optional<nemesis::NemesisSchedule> schedule;
  if (!plan_.faults.empty()) {
    auto record = [&](Operation op) {
      faults.observe(op);
      std::string value = boost::json::serialize(op.value);
      if (value.size() > 160) value = value.substr(0, 157) + "...";
      log_.line("nemesis " + op.f + " " + value);
      recorder.nemesis(std::move(op));
    };
    schedule.emplace(nodes_, plan_.faults,
                     std::chrono::milliseconds(static_cast<long>(plan_.config.nemesis_interval_s * 1000)),
                     seed_, record, hooks_for(*db_), plan_.fault_options, origin);
  }

  {
    WorkerPlan worker_plan{concurrency_, nodes_.names(), plan_.config.rate};
    ClientWorkers workers(
        *workload_, recorder,
        [this](const std::string& node) { return db_->client(node, client_options_); },
        worker_plan, [this](const std::string& line) { log_.line(line); });
    std::string nemesis_error;
    ProgressDisplay progress(recorder, faults, plan_.config.time_limit_s, terminal_, log_);
    workers.start();
    std::jthread nemesis_thread;
    if (schedule) {
      nemesis_thread = std::jthread([&](std::stop_token stop) {
        try {
          schedule->run(stop);
        } catch (const std::exception& e) {
          nemesis_error = e.what();
        }
      });
    }
    wait_for_time_limit();
    // No new fault after the time limit, while the clients finish their last requests.
    if (nemesis_thread.joinable()) nemesis_thread.request_stop();
    workers.stop();
    if (nemesis_thread.joinable()) nemesis_thread.join();
    progress.stop();
    if (schedule) {
      for (const auto& e : schedule->errors()) log_.line("nemesis error: " + e);
      if (!nemesis_error.empty()) {
        log_.line("nemesis: " + nemesis_error + "; healing again");
        try {
          schedule->heal_all();
        } catch (const std::exception& e) {
          log_.line(std::string("nemesis: heal failed: ") + e.what());
        }
      }
    }
  }
  OutcomeCounts counts = recorder.counts();
  log_.line("clients done: " + std::to_string(counts.invoked) + " operations (ok " +
            std::to_string(counts.ok) + ", fail " + std::to_string(counts.fail) + ", info " +
            std::to_string(counts.info) + ")");

  if (!workload_->final_ops().empty() || !plan_.faults.empty()) {
    bool healthy = db_->wait_healthy(std::chrono::milliseconds(
        static_cast<long>(plan_.config.recovery_timeout_s * 1000)));
    log_.line(healthy ? "cluster recovered" : "cluster did not recover in time; final reads may fail");
  }
  run_final_ops(recorder);
  if (workload_->name() == "register") run_convergence_reads(recorder);
  history.close();

  cleanup.armed = false;
  db_->download_logs(store_.nodes_dir());
  db_->teardown();

  History h = read_run_history(store_.history_path(),
                               [this](const std::string& w) { log_.line("warning: " + w); });
  CheckBudget budget;
  budget.time_limit_s = plan_.config.check_time_limit_s;
  log_.line("checking " + std::to_string(h.ops.size()) + " history records with " +
            workload_->checker());
  RunVerdict verdict = check_run(*workload_, h, budget);
  try {  // the measured trade-off (checker/staleness/tradeoff.h); never fails the run
    verdict.results["tradeoff"] = tradeoff_summary(
        h, verdict.results,
        TradeoffOptions{mode_text(plan_.config), plan_.config.convergence_timeout_s});
  } catch (const std::exception& e) {
    log_.line(std::string("trade-off summary: ") + e.what());
  }
  verdict.results["run"] = {{"test", plan_.test_name},
                            {"dir", store_.dir().string()},
                            {"seed", seed_},
                            {"interrupted", g_interrupted.load()}};
  if (schedule) {
    boost::json::array errors;
    for (const auto& e : schedule->errors()) errors.push_back(boost::json::string(e));
    verdict.results["nemesis_errors"] = std::move(errors);
  }
  store_.write_json("results.json", verdict.results);
  log_.line("verdict: " + std::string(to_string(verdict.verdict)));
  const auto report_path = store_.dir() / "report.html";
  bool have_report = false;
  try {
    write_html_report(
        h, verdict.results,
        read_json_object(store_.dir() / "test.json", false).value_or(boost::json::object{}),
        report_path);
    have_report = true;
  } catch (const std::exception& e) {
    log_.line(std::string("report: ") + e.what());
    std::cerr << "faultline: could not write the report: " << e.what() << "\n";
  }

  std::cout << verdict.summary << "verdict: " << to_string(verdict.verdict) << "\nrun: "
            << store_.dir().string() << "\n";
  if (have_report) std::cout << "report: " << report_path.string() << "\n";
  std::cout.flush();
  return exit_code(verdict.verdict);
}

// Refuses a workload the database has no client for, before any node is touched.
void check_workload_supported(const TestPlan& plan) {
  auto supported = store_of(plan.config).workloads;
  if (std::find(supported.begin(), supported.end(), plan.config.workload) == supported.end()) {
    std::string names;
    for (const auto& w : supported) names += (names.empty() ? "" : ", ") + w;
    throw UsageError(plan.config.db + " has no client for workload '" + plan.config.workload +
                     "' (it has: " + names + ")");
  }
}

}  // namespace

int run_tests(const TestPlan& plan) {
  check_workload_supported(plan);
  remote::NodesFile nodes_file = find_nodes(plan);
  remote::NodeSet nodes(nodes_file.nodes);
  std::size_t concurrency = parse_concurrency(plan.config.concurrency, nodes.nodes().size());
  nodes.connect_all();  // unreachable nodes: exit 69 before anything starts

  // Refuse faults that cannot take effect, before anything starts.
  // Also refuses database settings the adapter rejects (e.g. more replicas than nodes).
  adapters::DatabaseOptions probe_options;
  probe_options.settings = plan.config.db_settings;
  probe_options.faketime_environment = nemesis::faketime_environment;  // as the runs'
  std::unique_ptr<adapters::Database> probe;
  try {
    probe = store_of(plan.config).make(nodes, probe_options);
  } catch (const adapters::DatabaseError& e) {
    throw UsageError(e.what());
  }
  if (!plan.faults.empty()) {
    try {
      nemesis::NemesisSchedule check(nodes, plan.faults, 1s, plan.seed, [](Operation) {},
                                     hooks_for(*probe));
      check.check();
    } catch (const nemesis::FaultRefused& e) {
      throw UsageError(std::string("--nemesis: ") + e.what());
    }
  }

  bool terminal = ::isatty(STDERR_FILENO) == 1;
  InterruptGuard interrupts;
  int worst = kExitValid;
  for (int i = 0; i < plan.config.test_count && !g_interrupted.load(); ++i) {
    try {
      Run run(plan, static_cast<std::size_t>(i), nodes_file, nodes, concurrency, terminal);
      worst = worse_exit_code(worst, run.execute());
    } catch (const adapters::DatabaseError& e) {
      throw UnavailableError(e.what());
    }
  }
  return worst;
}

}  // namespace faultline
