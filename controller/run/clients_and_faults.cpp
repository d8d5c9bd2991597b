// ClientsAndFaults (phases.h): client workers and the nemesis schedule, side by side, until
// the time limit, Ctrl-C or RunContext::stop.

#include <thread>

#include "controller/run/phases.h"
#include "controller/run/run_database.h"
#include "controller/run/workers.h"
#include "nemesis/schedule.h"

namespace faultline {
namespace {

using namespace std::chrono_literals;

// Until the time limit, unless interrupted first.
void wait_for_time_limit(RunContext& run) {
  using Clock = RunContext::Clock;
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(run.plan.config.time_limit_s));
  std::stop_token stop = run.stop.get_token();
  while (Clock::now() < deadline && !run.interrupted.load() && !stop.stop_requested()) {
    std::this_thread::sleep_for(50ms);
  }
  if (run.interrupted.load()) {
    run.log.line("interrupted: ending the run early");
  } else if (stop.stop_requested()) {
    run.log.line(run.stopped_early ? "stopped at the first proven violation: " +
                                         std::string(run.stopped_early->at("reason").as_string())
                                   : std::string("stopped: ending the run early"));
  }
}

// The schedule of the plan's faults; none without faults. Every fault it records goes to the
// history, the progress line and the log.
std::optional<nemesis::NemesisSchedule> make_schedule(RunContext& run) {
  if (run.plan.faults.empty()) return std::nullopt;
  auto record = [&run](Operation op) {
    run.faults.observe(op);
    std::string value = boost::json::serialize(op.value);
    if (value.size() > 160) value = value.substr(0, 157) + "...";
    run.log.line("nemesis " + op.f + " " + value);
    run.recorder->nemesis(std::move(op));
  };
  if (run.plan.schedule) {
    return std::optional<nemesis::NemesisSchedule>(std::in_place, run.nodes, *run.plan.schedule,
                                                   record, nemesis_hooks(run.db), run.origin);
  }
  return std::optional<nemesis::NemesisSchedule>(
      std::in_place, run.nodes, run.plan.faults,
      std::chrono::milliseconds(static_cast<long>(run.plan.config.nemesis_interval_s * 1000)),
      run.seed, record, nemesis_hooks(run.db), run.plan.fault_options, run.origin);
}

}  // namespace

void ClientsAndFaults::run(RunContext& run) {
  std::optional<nemesis::NemesisSchedule> schedule = make_schedule(run);
  {
    WorkerPlan worker_plan{run.concurrency, run.nodes.names(), run.plan.config.rate};
    ClientWorkers workers(
        *run.workload, *run.recorder,
        [&run](const std::string& node) { return run.db.client(node, run.client_options); },
        worker_plan, [&run](const std::string& line) { run.log.line(line); });
    std::string nemesis_error;
    ProgressDisplay progress(*run.recorder, run.faults, run.plan.config.time_limit_s, run.terminal,
                             run.log);
    if (run.online) progress.show_online([&run] { return run.online->state(); });
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
    wait_for_time_limit(run);
    // No new fault after the time limit, while the clients finish their last requests.
    if (nemesis_thread.joinable()) nemesis_thread.request_stop();
    workers.stop();
    if (nemesis_thread.joinable()) nemesis_thread.join();
    progress.stop();
    if (run.online) run.online->clients_done();
    if (schedule) {
      for (const auto& e : schedule->errors()) run.log.line("nemesis error: " + e);
      if (!nemesis_error.empty()) {
        run.log.line("nemesis: " + nemesis_error + "; healing again");
        try {
          schedule->heal_all();
        } catch (const std::exception& e) {
          run.log.line(std::string("nemesis: heal failed: ") + e.what());
        }
      }
    }
  }
  if (schedule) run.nemesis_errors = schedule->errors();
  // What was applied, for replay and shrink (docs/shrinking.md); empty without faults.
  run.store.write_json("schedule.json",
                       nemesis::to_json(schedule ? schedule->applied() : nemesis::FaultSchedule{}));
  OutcomeCounts counts = run.recorder->counts();
  run.log.line("clients done: " + std::to_string(counts.invoked) + " operations (ok " +
               std::to_string(counts.ok) + ", fail " + std::to_string(counts.fail) + ", info " +
               std::to_string(counts.info) + ")");
}

}  // namespace faultline
