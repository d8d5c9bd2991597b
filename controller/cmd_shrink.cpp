// `faultline shrink RUN_DIR`: the smallest fault schedule that still makes the recorded test
// fail with the same anomaly (controller/shrink/search.h), within a time budget. Every
// candidate is an ordinary run under RUN_DIR/shrink/; the outcome is RUN_DIR/shrink/shrink.json,
// shrink.html and minimal.schedule.json (docs/shrinking.md).

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>
#include <memory>

#include "controller/commands.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"
#include "controller/run/online_run.h"
#include "controller/run/run_store.h"
#include "controller/shrink/anomaly.h"
#include "controller/shrink/candidate_runner.h"
#include "controller/shrink/recorded_run.h"
#include "reports/shrink_page.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

struct ShrinkCli {
  std::string run_dir;
  double budget_min = 30;
  int runs_per_candidate = 3;
  std::string anomaly;
  double min_staleness_ms = 0;
  bool no_stop_on_invalid = false;
  remote::NodeOptions nodes;
};

extern "C" void on_shrink_interrupt(int) {
  CandidateRunner::request_stop();
}

// A shell word: as is when safe, else single-quoted.
std::string shell_word(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789-_./=,:+@") == std::string::npos)
    return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// The `faultline test` command line of `config` (the options a recorded run can carry).
std::string test_command(const TestConfig& c, const fs::path& schedule, double time_limit_s,
                         int times) {
  std::vector<std::string> argv{"faultline", "test"};
  auto add = [&](const std::string& option, const std::string& value) {
    argv.push_back(option);
    argv.push_back(value);
  };
  if (!c.test_file.empty()) add("--test-file", c.test_file);
  if (!c.store_descriptor) add("--db", c.db);
  add("--workload", c.workload);
  if (!c.nodes.nodes.empty()) add("--nodes", c.nodes.nodes);
  if (!c.nodes.nodes_file.empty()) add("--nodes-file", c.nodes.nodes_file);
  if (c.nodes.nodes.empty() && c.nodes.nodes_file.empty()) add("--cluster", c.nodes.cluster);
  if (!c.nodes.ssh_user.empty()) add("--ssh-user", c.nodes.ssh_user);
  if (!c.nodes.ssh_key.empty()) add("--ssh-key", c.nodes.ssh_key);
  if (c.read_consistency != "linearizable") add("--read-consistency", c.read_consistency);
  for (const auto& [name, value] : c.db_settings) add("--db-setting", name + "=" + value);
  add("--concurrency", c.concurrency);
  if (c.rate > 0) add("--rate", number_text(c.rate));
  const WorkloadOptions& w = c.workload_options;
  if (c.workload == "register") {
    add("--keys", std::to_string(w.keys));
    add("--ops-per-key", std::to_string(w.ops_per_key));
    add("--cas-share", number_text(w.cas_share));
  }
  if (c.workload == "bank") {
    add("--accounts", std::to_string(w.accounts));
    add("--total", std::to_string(w.total));
  }
  if (w.read_share) add("--read-share", number_text(*w.read_share));
  add("--op-timeout", std::to_string(c.op_timeout_ms));
  add("--seed", std::to_string(c.seed.value_or(0)));
  add("--time-limit", number_text(time_limit_s));
  add("--schedule", schedule.string());
  if (c.stop_on_invalid) argv.push_back("--stop-on-invalid");
  if (times > 1) add("--test-count", std::to_string(times));
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + shell_word(a);
  return out;
}

std::vector<std::string> node_names(const RecordedRun& run) {
  std::vector<std::string> names;
  if (const auto* nodes = run.test.if_contains("nodes"); nodes && nodes->is_array()) {
    for (const auto& n : nodes->get_array()) {
      if (const auto* name = n.is_object() ? n.get_object().if_contains("name") : nullptr;
          name && name->is_string())
        names.emplace_back(name->get_string());
    }
  }
  return names;
}

int run_shrink(const ShrinkCli& o, const RecordedRun& run, TestConfig base,
               const std::string& anomaly) {
  using Clock = CandidateRunner::Clock;
  const auto started = Clock::now();
  const auto deadline = started + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(o.budget_min * 60));
  const fs::path dir = run.dir / "shrink";
  auto log = [](const std::string& line) { std::cerr << "faultline: shrink: " << line << "\n"; };
  ShrinkCandidate original{run.schedule, base.time_limit_s};
  log("keeping '" + anomaly + "'" +
      (o.min_staleness_ms > 0 ? " at least " + number_text(o.min_staleness_ms) + " ms stale" : "") +
      " of " + run.dir.string() + ": " + std::to_string(original.schedule.faults.size()) +
      " faults, " + number_text(original.time_limit_s) + " s, budget " + number_text(o.budget_min) +
      " min, " + std::to_string(o.runs_per_candidate) + " runs per candidate" +
      (base.stop_on_invalid ? ", --stop-on-invalid" : ""));
  ShrinkResult result;
  std::string error;
  bool interrupted = false;
  {
    CandidateRunner runner(base, anomaly, o.min_staleness_ms, dir, deadline, log);
    auto old_int = std::signal(SIGINT, on_shrink_interrupt);
    auto old_term = std::signal(SIGTERM, on_shrink_interrupt);
    ShrinkOptions options;
    options.runs_per_candidate = o.runs_per_candidate;
    options.nodes = node_names(run);
    options.log = log;
    result = shrink_schedule(
        original,
        [&runner](const ShrinkCandidate& c, const std::string& label, int attempt) {
          return runner.run(c, label, attempt);
        },
        options);
    std::signal(SIGINT, old_int);
    std::signal(SIGTERM, old_term);
    error = runner.error();
    interrupted = runner.interrupted();
  }
  if (!error.empty()) result.stopped = "error: " + error;
  if (interrupted) result.stopped = "interrupted";

  // Files: the minimal schedule, shrink.json, shrink.html.
  RunStore store(dir);
  store.write_json("minimal.schedule.json", nemesis::to_json(result.minimal.schedule));
  const fs::path minimal_file = dir / "minimal.schedule.json";
  // The reproduction rate: the confirming runs, else what the accepted step saw.
  int k = result.confirm_reproduced, n = result.confirm_runs;
  std::vector<std::string> minimal_runs = result.confirm_dirs;
  if (n == 0) {
    for (const auto& step : result.steps) {
      if (step.accepted) {
        k = step.reproduced;
        n = step.runs;
        minimal_runs = step.run_dirs;
      }
    }
  }
  boost::json::array steps, runs;
  for (const auto& step : result.steps) steps.push_back(to_json(step));
  for (const auto& d : minimal_runs) runs.emplace_back(d);
  const std::string command = test_command(base, minimal_file, result.minimal.time_limit_s, 1);
  const std::string replay = "faultline replay " + shell_word(run.dir.string()) + " --schedule " +
                             shell_word(minimal_file.string()) + " --time-limit " +
                             number_text(result.minimal.time_limit_s) + " --times " +
                             std::to_string(o.runs_per_candidate);
  boost::json::object doc{
      {"schema", "faultline.shrink/1"},
      {"anomaly", anomaly},
      {"run", run.dir.string()},
      {"budget_minutes", o.budget_min},
      {"runs_per_candidate", o.runs_per_candidate},
      {"stop_on_invalid", base.stop_on_invalid},
      {"min_staleness_ms", o.min_staleness_ms},
      {"elapsed_s", std::chrono::duration<double>(Clock::now() - started).count()},
      {"stopped", result.stopped},
      {"original",
       {{"faults", result.original.schedule.faults.size()},
        {"time_limit_s", result.original.time_limit_s},
        {"anomalies", describe_anomalies(run.results)},
        {"schedule", nemesis::to_json(result.original.schedule)}}},
      {"minimal",
       {{"faults", result.minimal.schedule.faults.size()},
        {"time_limit_s", result.minimal.time_limit_s},
        {"schedule", nemesis::to_json(result.minimal.schedule)},
        {"reproduced",
         n == 0 ? std::string("not run") : std::to_string(k) + "/" + std::to_string(n)},
        {"runs", std::move(runs)},
        {"schedule_file", minimal_file.string()},
        {"command", command},
        {"replay_command", replay}}},
      {"steps", std::move(steps)}};
  store.write_json("shrink.json", doc);
  write_shrink_page(doc, dir / "shrink.html");
  std::cout << "shrink: " << result.original.schedule.faults.size() << " faults in "
            << number_text(result.original.time_limit_s) << " s -> "
            << result.minimal.schedule.faults.size() << " in "
            << number_text(result.minimal.time_limit_s) << " s, '" << anomaly << "' reproduced "
            << (n == 0 ? std::string("(not run)") : std::to_string(k) + "/" + std::to_string(n))
            << " (" << result.steps.size() << " candidates; stopped: " << result.stopped << ")\n";
  for (const auto& f : result.minimal.schedule.faults) std::cout << "  " << f.describe() << "\n";
  std::cout << "reproduce: " << command << "\n"
            << "shrink: " << (dir / "shrink.json").string() << "\n"
            << "page: " << (dir / "shrink.html").string() << "\n";
  return kExitValid;
}

}  // namespace

void add_shrink_commands(CLI::App& app, CommandAction& action) {
  auto o = std::make_shared<ShrinkCli>();
  auto* cmd = app.add_subcommand(
      "shrink",
      "Search for the smallest fault schedule that still makes a failing run fail with the "
      "same anomaly: fewer faults, shorter, on fewer nodes (docs/shrinking.md)");
  cmd->add_option("run", o->run_dir, "The failing run's directory")->required();
  cmd->add_option("--budget", o->budget_min, "Minutes the whole search may take")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--runs-per-candidate", o->runs_per_candidate,
                  "Runs of each candidate; it fails when any of them shows the anomaly")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--anomaly", o->anomaly,
                  "The anomaly kind to keep, as results.json's tradeoff.anomalies names it "
                  "(default: the run's most specific one)");
  cmd->add_option("--min-staleness-ms", o->min_staleness_ms,
                  "A candidate reproduces only when its stalest read is at least this old (ms): "
                  "keeps a partition's stale reads apart from a healthy replica's lag; implies "
                  "--no-stop-on-invalid")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--no-stop-on-invalid", o->no_stop_on_invalid,
                "Run every candidate for its whole time limit (default: candidates of "
                "workloads with an online check stop at their first proven violation)");
  remote::add_node_options(*cmd, o->nodes);
  cmd->callback([o, cmd, &action] {
    RecordedRun run = read_recorded_run(o->run_dir);
    if (run.results.empty()) {
      throw UsageError(run.dir.string() +
                       " has no results.json: only a finished, failing run "
                       "can be shrunk");
    }
    std::string anomaly = o->anomaly.empty() ? main_anomaly(run.results) : o->anomaly;
    if (anomaly.empty()) {
      throw UsageError(run.dir.string() +
                       " shows no anomaly (its results.json counts none): "
                       "there is nothing to shrink");
    }
    if (!shows_anomaly(run.results, anomaly)) {
      throw UsageError("--anomaly '" + anomaly + "': " + run.dir.string() +
                       " shows only: " + describe_anomalies(run.results));
    }
    if (!shows_anomaly(run.results, anomaly, o->min_staleness_ms)) {
      throw UsageError("--min-staleness-ms " + number_text(o->min_staleness_ms) +
                       ": the stalest read of " + run.dir.string() + " is " +
                       std::to_string(static_cast<long long>(max_staleness_ms(run.results))) +
                       " ms old");
    }
    TestConfig base = replay_config(run);
    if (cmd->count("--nodes") + cmd->count("--nodes-file") + cmd->count("--cluster") > 0)
      base.nodes = o->nodes;
    // The first proof may be a small anomaly: with a staleness floor every run goes on.
    base.stop_on_invalid =
        !o->no_stop_on_invalid && o->min_staleness_ms <= 0 && has_online_check(base.workload);
    validate(base);  // refuse now what every candidate would refuse
    action = [o, run, base, anomaly] { return run_shrink(*o, run, base, anomaly); };
  });
}

}  // namespace faultline
