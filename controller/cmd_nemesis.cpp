// `faultline nemesis start|stop|run` and `faultline heal`: faults by hand, a fault schedule,
// and repairing nodes that a dead controller left faulted (nemesis/).
//
// Each command prints what it did on each node. `nemesis run` holds faults until its
// duration ends or it gets SIGINT/SIGTERM, and heals everything before it exits.

#include <signal.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "checker/history/jsonl.h"
#include "checker/history/operation.h"
#include "controller/commands.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"
#include "nemesis/describe.h"
#include "nemesis/errors.h"
#include "nemesis/fault.h"
#include "nemesis/schedule.h"
#include "remote/errors.h"
#include "remote/node_options.h"
#include "remote/node_set.h"

namespace faultline {
namespace {

namespace nm = nemesis;

struct NemesisCliOptions {
  remote::NodeOptions nodes;
  std::string kind;
  std::string grudge, target, clock_mode, clock_strategy = "auto";
  std::optional<std::int64_t> offset_ms;
  std::int64_t period_ms = 200, duration_ms = 2000;
  std::string loss, duplicate, reorder, corrupt, rate;
  std::optional<double> delay_ms, jitter_ms;
  std::string pid_file, process, restart;
  std::uint64_t seed = 0;
  bool seed_given = false;
  std::string record;  // append the nemesis operations to this JSONL file
  // run
  std::string kinds = "partition";
  double interval_s = 10;
  double run_for_s = 0;  // 0: until SIGINT/SIGTERM
};

// Writes each operation to the --record file (JSONL) and prints what it did.
class CliRecorder {
 public:
  explicit CliRecorder(const std::string& path) {
    if (!path.empty()) {
      file_.open(path, std::ios::app);
      if (!file_) throw UsageError("cannot write " + path);
    }
  }
  void operator()(Operation op) {
    std::lock_guard lock(mutex_);
    op.index = index_++;
    if (file_.is_open()) {
      writer_.write(op);
      writer_.flush();
    }
    std::cout << op.f << ":\n";
    for (const auto& line : nm::describe_operation(op)) std::cout << "  " << line << '\n';
    std::cout.flush();
  }

 private:
  std::mutex mutex_;
  std::ofstream file_;
  JsonlWriter writer_{file_};  // the history's one serialiser (checker/history/jsonl.h)
  std::int64_t index_ = 0;
};

nm::FaultOptions fault_options(const NemesisCliOptions& o) {
  nm::FaultOptions f;
  try {
    if (!o.grudge.empty()) {
      f.grudge = nm::parse_grudge_kind(o.grudge);
      if (!f.grudge) {
        throw UsageError("unknown --grudge '" + o.grudge +
                         "' (halves, random-halves, one, majorities-ring, bridge, "
                         "minority-third, primaries)");
      }
    }
    if (!o.target.empty()) f.target = nm::parse_target(o.target);
    if (o.clock_mode == "bump") f.clock_mode = nm::ClockMode::kBump;
    if (o.clock_mode == "strobe") f.clock_mode = nm::ClockMode::kStrobe;
    f.clock_strategy = nm::parse_clock_strategy(o.clock_strategy);
    f.offset_ms = o.offset_ms;
    f.strobe_period_ms = o.period_ms;
    f.strobe_duration_ms = o.duration_ms;
    if (!o.loss.empty()) f.packet.loss_percent = nm::parse_percent(o.loss);
    if (!o.duplicate.empty()) f.packet.duplicate_percent = nm::parse_percent(o.duplicate);
    if (!o.reorder.empty()) f.packet.reorder_percent = nm::parse_percent(o.reorder);
    if (!o.corrupt.empty()) f.packet.corrupt_percent = nm::parse_percent(o.corrupt);
    f.packet.delay_ms = o.delay_ms;
    f.packet.jitter_ms = o.jitter_ms;
    if (!o.rate.empty()) f.packet.rate = o.rate;
    f.packet.validate();
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  return f;
}

nm::NemesisHooks cli_hooks(const NemesisCliOptions& o) {
  nm::NemesisHooks hooks;
  if (!o.pid_file.empty() || !o.process.empty()) {
    std::optional<remote::Command> restart;
    if (!o.restart.empty()) {
      restart = remote::Command{"sh", "-c", o.restart};
      restart->as_root();
    }
    hooks.processes = std::make_shared<nm::FixedProcessControl>(
        nm::ProcessSelector{o.pid_file, o.process}, restart);
  }
  return hooks;
}

std::uint64_t seed_of(const NemesisCliOptions& o) {
  if (o.seed_given) return o.seed;
  return static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
}

// Nemesis errors as the command line reports them.
template <typename F>
int translating_nemesis_errors(F&& body) {
  try {
    return body();
  } catch (const nm::FaultRefused& e) {
    throw UsageError(e.what());
  } catch (const nm::FaultFailed& e) {
    throw UnavailableError(e.what());
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
}

std::unique_ptr<remote::NodeSet> connect(const NemesisCliOptions& o) {
  remote::NodesFile file = remote::resolve_nodes(o.nodes);
  return std::make_unique<remote::NodeSet>(file.nodes);
}

nm::FaultKind kind_of(const std::string& name) {
  auto kind = nm::parse_fault_kind(name == "resume" ? "pause" : name);
  if (!kind) {
    throw UsageError("unknown fault kind '" + name +
                     "' (partition, clock, kill, pause, packet, crash)");
  }
  return *kind;
}

int start_command(const NemesisCliOptions& o) {
  const nm::FaultKind kind = kind_of(o.kind);
  nm::FaultOptions options = fault_options(o);
  auto nodes = connect(o);
  CliRecorder recorder(o.record);
  nm::NemesisContext context(*nodes, std::ref(recorder), cli_hooks(o));
  auto fault = nm::make_fault(kind, options, context);
  fault->check();
  std::mt19937_64 rng(seed_of(o));
  Operation op = fault->start(rng);
  // A packet fault applies what the node can and refuses the rest: say so where scripts look.
  if (const auto* nodes =
          op.value.is_object() ? op.value.as_object().if_contains("nodes") : nullptr;
      nodes && nodes->is_object() && op.f == "start-packet") {
    for (const auto& [node, detail] : nodes->as_object()) {
      for (const auto& refused : detail.as_object().at("refused").as_array()) {
        std::cerr << "faultline: warning: " << std::string(node) << ": refused "
                  << std::string(refused.as_string()) << '\n';
      }
    }
  }
  return kExitValid;
}

int stop_command(const NemesisCliOptions& o) {
  const nm::FaultKind kind = kind_of(o.kind);
  auto nodes = connect(o);
  CliRecorder recorder(o.record);
  nm::NemesisContext context(*nodes, std::ref(recorder), cli_hooks(o));
  nm::make_fault(kind, nm::FaultOptions{}, context)->stop();
  return kExitValid;
}

int heal_command(const NemesisCliOptions& o) {
  auto nodes = connect(o);
  CliRecorder recorder(o.record);
  nm::NemesisContext context(*nodes, std::ref(recorder), cli_hooks(o));
  nm::heal_all(context);
  std::cout << "healed " << nodes->nodes().size() << " nodes\n";
  return kExitValid;
}

// Blocks SIGINT/SIGTERM in every thread and turns them into a stop request.
class SignalStop {
 public:
  explicit SignalStop(std::stop_source& source) {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
    waiter_ = std::thread([this, &source] {
      timespec tick{0, 100'000'000};
      while (!done_) {
        int sig = sigtimedwait(&set_, nullptr, &tick);
        if (sig == SIGINT || sig == SIGTERM) {
          std::cerr << "faultline: " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
                    << ": healing every node before exit\n";
          source.request_stop();
        }
      }
    });
  }
  ~SignalStop() {
    done_ = true;
    waiter_.join();
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t set_{}, old_{};
  std::atomic<bool> done_{false};
  std::thread waiter_;
};

int run_command(const NemesisCliOptions& o) {
  std::vector<nm::FaultKind> kinds;
  try {
    kinds = nm::parse_fault_kinds(o.kinds);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  if (o.interval_s <= 0) throw UsageError("--nemesis-interval must be positive");
  nm::FaultOptions options = fault_options(o);
  auto nodes = connect(o);
  CliRecorder recorder(o.record);
  const std::uint64_t seed = seed_of(o);
  nm::NemesisSchedule schedule(
      *nodes, kinds, std::chrono::milliseconds(static_cast<std::int64_t>(o.interval_s * 1000)),
      seed, std::ref(recorder), cli_hooks(o), options);
  schedule.check();
  std::cout << "nemesis schedule: " << o.kinds << ", every " << o.interval_s << " s, seed " << seed
            << (o.run_for_s > 0 ? ", for " + std::to_string(o.run_for_s) + " s" : "")
            << " (SIGINT/SIGTERM heals and exits)" << std::endl;
  std::stop_source stop;
  SignalStop signals(stop);
  std::jthread timer;
  if (o.run_for_s > 0) {
    timer = std::jthread([&stop, o](std::stop_token own) {
      std::mutex m;
      std::condition_variable_any cv;
      std::unique_lock lock(m);
      cv.wait_for(lock, own, std::chrono::duration<double>(o.run_for_s), [] { return false; });
      stop.request_stop();
    });
  }
  schedule.run(stop.get_token());
  for (const auto& error : schedule.errors())
    std::cerr << "faultline: fault failed: " << error << '\n';
  return schedule.errors().empty() ? kExitValid : kExitUnavailable;
}

void add_fault_options(CLI::App* command, NemesisCliOptions& o) {
  remote::add_node_options(*command, o.nodes);
  command->add_option("--grudge", o.grudge,
                      "Partition: halves, random-halves, one, majorities-ring, bridge, "
                      "minority-third, primaries (default: random)");
  command->add_option("--target", o.target,
                      "Clock/kill/pause/packet: one, minority, majority, all, primaries or "
                      "node names n1,n2 (default: one)");
  command->add_option("--offset-ms", o.offset_ms,
                      "Clock: milliseconds to add (negative: back; default random)");
  command->add_option("--clock-mode", o.clock_mode, "Clock: bump or strobe (default random)")
      ->check(CLI::IsMember({"bump", "strobe"}));
  command->add_option("--period-ms", o.period_ms, "Clock strobe: flip period")
      ->capture_default_str();
  command->add_option("--duration-ms", o.duration_ms, "Clock strobe: how long")
      ->capture_default_str();
  command
      ->add_option("--clock-strategy", o.clock_strategy,
                   "Clock: auto, faketime (processes under libfaketime) or system "
                   "(clock_settime; refused on nodes sharing this kernel)")
      ->capture_default_str();
  command->add_option("--loss", o.loss, "Packet: loss percentage (30 or 30%)");
  command->add_option("--delay-ms", o.delay_ms, "Packet: added delay (needs netem)");
  command->add_option("--jitter-ms", o.jitter_ms, "Packet: delay jitter (needs netem)");
  command->add_option("--duplicate", o.duplicate, "Packet: duplication percentage (needs netem)");
  command->add_option("--reorder", o.reorder, "Packet: reorder percentage (needs netem, delay)");
  command->add_option("--corrupt", o.corrupt, "Packet: corruption percentage (needs netem)");
  command->add_option("--rate", o.rate, "Packet: rate limit towards peers, e.g. 1mbit");
  command->add_option("--pid-file", o.pid_file, "Kill/pause: pid file of the process on each node");
  command->add_option("--process", o.process, "Kill/pause: exact process name on each node");
  command->add_option("--restart", o.restart,
                      "Kill: shell command that restarts the process on a node (run by stop)");
  command->add_option("--seed", o.seed, "Seed of the random choices")
      ->each([&o](const std::string&) { o.seed_given = true; });
  command->add_option("--record", o.record, "Append the nemesis operations to this JSONL file");
}

}  // namespace

void add_nemesis_commands(CLI::App& app, CommandAction& action) {
  auto* nemesis = app.add_subcommand("nemesis", "Inject faults by hand, or run a fault schedule");
  nemesis->require_subcommand(1);
  auto options = std::make_shared<NemesisCliOptions>();

  auto* start = nemesis->add_subcommand(
      "start", "Apply one fault on the nodes (it stays until `nemesis stop KIND` or `heal`)");
  start->add_option("KIND", options->kind, "partition, clock, kill, pause, packet or crash")
      ->required();
  add_fault_options(start, *options);
  start->callback([options, &action] {
    action = [o = *options] {
      return translating_nemesis_errors([&] { return start_command(o); });
    };
  });

  auto* stop = nemesis->add_subcommand("stop", "Undo one kind of fault on every node");
  stop->add_option("KIND", options->kind,
                   "partition, clock, kill, pause (or resume), packet or crash")
      ->required();
  remote::add_node_options(*stop, options->nodes);
  stop->add_option("--record", options->record, "Append the nemesis operations to this JSONL file");
  stop->callback([options, &action] {
    action = [o = *options] { return translating_nemesis_errors([&] { return stop_command(o); }); };
  });

  auto* run = nemesis->add_subcommand(
      "run", "Start and stop faults in turn until --for elapses or SIGINT/SIGTERM, then heal");
  run->add_option("--nemesis", options->kinds, "Kinds: partition,clock,kill,pause,packet or all")
      ->capture_default_str();
  run->add_option("--nemesis-interval", options->interval_s, "Seconds between fault changes")
      ->capture_default_str();
  run->add_option("--for", options->run_for_s, "Stop after this many seconds (0: until a signal)");
  add_fault_options(run, *options);
  run->callback([options, &action] {
    action = [o = *options] { return translating_nemesis_errors([&] { return run_command(o); }); };
  });

  auto* heal = app.add_subcommand(
      "heal", "Undo every fault faultline left on the nodes (even from a controller that died)");
  remote::add_node_options(*heal, options->nodes);
  heal->add_option("--record", options->record, "Append the nemesis operations to this JSONL file");
  heal->callback([options, &action] {
    action = [o = *options] { return translating_nemesis_errors([&] { return heal_command(o); }); };
  });
}

}  // namespace faultline
