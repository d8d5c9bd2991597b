// `faultline bench generator`: how fast the client side of a run can go when the database
// costs nothing. Workers draw operations from the workload's generators, a no-op client
// completes them at once, and the recorder numbers, stamps, writes and flushes them to a
// history file, exactly as in a run. Measured a second time with a recorder that writes
// nothing, the difference is the per-operation cost of recording.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <thread>

#include "adapters/db.h"
#include "controller/commands.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"
#include "controller/run/recorder.h"
#include "controller/run/workers.h"

namespace faultline {
namespace {

struct BenchGeneratorOptions {
  std::string workload = "register";
  std::size_t concurrency = 4;
  double seconds = 3;
  std::string output;  // history file; default a temporary file, removed afterwards
};

// Completes every operation at once: ok, with an empty result for reads.
class NoopClient final : public adapters::Client {
 public:
  Operation invoke(const Operation& op) override {
    Operation done;
    done.type = OpType::kOk;
    done.process = op.process;
    done.f = op.f;
    done.key = op.key;
    done.value = op.f == "read" ? boost::json::value(nullptr) : op.value;
    return done;
  }
};

struct RateFigures {
  std::uint64_t ops = 0;
  double seconds = 0;
  double ops_per_s() const { return seconds > 0 ? static_cast<double>(ops) / seconds : 0; }
};

RateFigures measure(const Workload& workload, std::ostream* out, std::size_t concurrency,
                    double seconds) {
  HistoryRecorder recorder(out, std::chrono::steady_clock::now());
  ClientWorkers workers(
      workload, recorder, [](const std::string&) { return std::make_unique<NoopClient>(); },
      WorkerPlan{concurrency, {"n1"}, 0});
  auto start = std::chrono::steady_clock::now();
  workers.start();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  workers.stop();
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return RateFigures{recorder.counts().ok, elapsed};
}

int bench_generator(const BenchGeneratorOptions& o) {
  std::unique_ptr<Workload> workload;
  try {
    workload = make_workload(o.workload, WorkloadOptions{});
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--workload: ") + e.what());
  }
  std::filesystem::path file = o.output;
  bool temporary = file.empty();
  if (temporary) {
    file = std::filesystem::temp_directory_path() /
           ("faultline-bench-" + std::to_string(::getpid()) + ".jsonl");
  }
  RateFigures recorded;
  std::uintmax_t bytes = 0;
  {
    std::ofstream history(file, std::ios::binary | std::ios::trunc);
    if (!history) throw UsageError("cannot write " + file.string());
    recorded = measure(*workload, &history, o.concurrency, o.seconds);
  }
  bytes = std::filesystem::file_size(file);
  if (temporary) std::filesystem::remove(file);
  RateFigures bare = measure(*workload, nullptr, o.concurrency, o.seconds);

  double per_op_recorded_ns = recorded.ops ? 1e9 / recorded.ops_per_s() : 0;
  double per_op_bare_ns = bare.ops ? 1e9 / bare.ops_per_s() : 0;
  std::cout << std::fixed << std::setprecision(0);
  std::cout << "workload " << o.workload << ", " << o.concurrency << " workers, "
            << std::thread::hardware_concurrency() << " cores, " << std::setprecision(1)
            << o.seconds << " s per measurement\n"
            << std::setprecision(0);
  std::cout << "generator + no-op client + recorder (history written, flushed per op): "
            << recorded.ops_per_s() << " ops/s (" << recorded.ops << " ops, "
            << std::setprecision(1) << static_cast<double>(bytes) / 1e6 << " MB of history)\n"
            << std::setprecision(0);
  std::cout << "generator + no-op client, recorder writing nothing:                  "
            << bare.ops_per_s() << " ops/s\n";
  std::cout << std::setprecision(2)
            << "recording overhead: " << (per_op_recorded_ns - per_op_bare_ns) / 1000
            << " us per op (wall time, "
            << "invocation + completion lines)\n";
  std::cout << "target >= 200000 ops/s: " << (recorded.ops_per_s() >= 200'000 ? "met" : "NOT met")
            << '\n';
  return kExitValid;
}

}  // namespace

void add_bench_generator_commands(CLI::App& app, CommandAction& action) {
  CLI::App* bench = bench_group(app);
  auto o = std::make_shared<BenchGeneratorOptions>();
  auto* cmd = bench->add_subcommand(
      "generator", "Operations per second the generator and recorder sustain (no-op client)");
  cmd->add_option("--workload", o->workload, "register, set or bank")->capture_default_str();
  cmd->add_option("--concurrency", o->concurrency, "Client workers")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->add_option("--seconds", o->seconds, "Length of each measurement")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  cmd->add_option("-o,--output", o->output, "Keep the history written here");
  cmd->callback([o, &action] { action = [o] { return bench_generator(*o); }; });
}

}  // namespace faultline
