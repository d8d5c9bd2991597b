// `faultline replay RUN_DIR`: the recorded test again, on a fresh cluster (the database wiped
// and set up as for any run): the same store or test file, workload, settings, nodes, time
// limit, seed (so every worker chooses the same operations) and the run's schedule.json (the
// same faults on the same nodes at the same offsets). docs/shrinking.md.

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "controller/commands.h"
#include "controller/exit_codes.h"
#include "controller/run/analysis.h"
#include "controller/run/runner.h"
#include "controller/shrink/recorded_run.h"

namespace faultline {

namespace {

struct ReplayCli {
  std::string run_dir;
  std::string store;
  std::string schedule;
  double time_limit_s = 0;
  int times = 1;
  bool stop_on_invalid = false;
  remote::NodeOptions nodes;
};

}  // namespace

void add_replay_commands(CLI::App& app, CommandAction& action) {
  auto o = std::make_shared<ReplayCli>();
  auto* cmd = app.add_subcommand(
      "replay",
      "Run a recorded test again on a fresh cluster: the same store, workload, settings, "
      "nodes, time limit, seed and fault schedule (RUN_DIR/schedule.json)");
  cmd->add_option("run", o->run_dir, "The run directory (store/<test>/<time>)")->required();
  cmd->add_option("--store", o->store, "Directory of run directories (default: the run's)");
  cmd->add_option("--schedule", o->schedule,
                  "Apply this schedule.json instead of the run's (e.g. shrink's minimal one)");
  cmd->add_option("--time-limit", o->time_limit_s,
                  "Seconds of client operations (default: the "
                  "run's)");
  cmd->add_option("--times", o->times,
                  "Replay this many times, each with the run's seed; the "
                  "exit code is the worst verdict")
      ->check(CLI::Range(1, 1000));
  cmd->add_flag("--stop-on-invalid", o->stop_on_invalid,
                "End each client phase at the online check's first proven violation");
  remote::add_node_options(*cmd, o->nodes);
  cmd->callback([o, cmd, &action] {
    RecordedRun run = read_recorded_run(o->run_dir);
    TestConfig config = replay_config(run);
    if (!o->store.empty()) config.store = o->store;
    if (!o->schedule.empty()) config.schedule_file = std::filesystem::absolute(o->schedule);
    if (o->time_limit_s > 0) config.time_limit_s = o->time_limit_s;
    if (o->stop_on_invalid) config.stop_on_invalid = true;
    if (cmd->count("--nodes") + cmd->count("--nodes-file") + cmd->count("--cluster") > 0)
      config.nodes = o->nodes;
    TestPlan plan = validate(config);
    const int times = o->times;
    action = [plan, times, dir = run.dir] {
      std::cerr << "faultline: replaying " << dir.string() << " (seed " << plan.seed << ", "
                << (plan.schedule ? plan.schedule->faults.size() : 0) << " faults)\n";
      int worst = kExitValid;
      for (int i = 0; i < times; ++i) worst = worse_exit_code(worst, run_tests(plan));
      return worst;
    };
  });
}

}  // namespace faultline
