#pragma once
// NemesisSchedule: faults during a test run. Every interval it starts a fault of one of the
// chosen kinds, and one interval later stops it, so faults come and go in turn; when the run
// asks it to stop (stop token) it heals everything, always. The kinds and every random choice
// (grudges, targets, offsets) come from the seed, so a seed replays the same faults on the
// same nodes.
//
// The controller runs it on its own thread:
//   NemesisSchedule schedule(nodes, {FaultKind::kPartition, FaultKind::kClock}, 10s, seed,
//                            recorder, hooks);
//   schedule.check();                       // refuse before the run starts
//   std::jthread t([&](std::stop_token st) { schedule.run(st); });
//   ... t.request_stop(); t.join();         // run() heals before returning
// and on its own errors or signals calls heal_all() (safe while run() is not running).
//
// Explicit mode (`faultline test --schedule`, explicit_schedule.h) applies a FaultSchedule
// instead: each fault is a Fault of its kind made with options that fix every choice, started
// at its offset from the origin and stopped after its duration, with the same recording,
// observing and final heal. Either mode keeps what it applied (applied()), the run's
// schedule.json.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <stop_token>
#include <string>
#include <vector>

#include "nemesis/context.h"
#include "nemesis/explicit_schedule.h"
#include "nemesis/fault.h"

namespace faultline::nemesis {

class NemesisSchedule {
 public:
  NemesisSchedule(remote::NodeSet& nodes, std::vector<FaultKind> kinds,
                  std::chrono::milliseconds interval, std::uint64_t seed, Recorder recorder,
                  NemesisHooks hooks = {}, FaultOptions options = {},
                  NemesisContext::Clock::time_point origin = NemesisContext::Clock::now());

  // Explicit mode: exactly `schedule`'s faults.
  NemesisSchedule(remote::NodeSet& nodes, FaultSchedule schedule, Recorder recorder,
                  NemesisHooks hooks = {},
                  NemesisContext::Clock::time_point origin = NemesisContext::Clock::now());

  // Checks that every kind can take effect on these nodes (probing them); throws FaultRefused
  // saying why not. run() calls it too; call it first to refuse before a test run starts.
  void check();

  // Runs until `stop` is requested, then heals everything and returns. A fault that fails on
  // some nodes is recorded and the schedule goes on (see errors()); a failure to heal at the
  // end is thrown.
  void run(std::stop_token stop);

  // Heals every kind on every node now (see nemesis::heal_all).
  std::vector<Operation> heal_all();

  // Fault failures seen by run(), in order.
  std::vector<std::string> errors() const;

  // The faults run() started, as they happened: start offsets and durations measured, the
  // drops, targets and parameters as each start recorded them. A fault still in force when
  // the run stopped lasts until the final heal.
  FaultSchedule applied() const;

  // The first `count` kinds the schedule starts with this seed.
  static std::vector<FaultKind> plan(const std::vector<FaultKind>& kinds, std::uint64_t seed,
                                     std::size_t count);

 private:
  Recorder capture_starts(Recorder recorder);
  void note(const std::exception& e);
  // Starts `fault` now and keeps it in applied_; returns its index there (none: nothing
  // was recorded, so nothing took effect).
  std::optional<std::size_t> start(Fault& fault, std::mt19937_64& rng);
  void stop(Fault& fault, std::optional<std::size_t> applied_index);
  void observe(Fault& fault);
  void run_explicit(std::stop_token stop);

  NemesisContext context_;
  std::vector<FaultKind> kinds_;
  std::chrono::milliseconds interval_;
  std::mt19937_64 kind_rng_, fault_rng_;
  std::map<FaultKind, std::unique_ptr<Fault>> faults_;
  bool checked_ = false;
  std::optional<FaultSchedule> explicit_;
  std::vector<std::unique_ptr<Fault>> explicit_faults_;  // one per explicit_->faults
  mutable std::mutex mutex_;
  std::vector<std::string> errors_;
  FaultSchedule applied_;
  std::optional<Operation> last_start_;  // the latest start-<kind> the context recorded
};

// Parses "partition,clock,kill" (also "all"); throws std::invalid_argument naming a bad kind.
std::vector<FaultKind> parse_fault_kinds(const std::string& text);

}  // namespace faultline::nemesis
