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
#include "nemesis/fault.h"

namespace faultline::nemesis {

class NemesisSchedule {
 public:
  NemesisSchedule(remote::NodeSet& nodes, std::vector<FaultKind> kinds,
                  std::chrono::milliseconds interval, std::uint64_t seed, Recorder recorder,
                  NemesisHooks hooks = {}, FaultOptions options = {},
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

  // The first `count` kinds the schedule starts with this seed.
  static std::vector<FaultKind> plan(const std::vector<FaultKind>& kinds, std::uint64_t seed,
                                     std::size_t count);

 private:
  NemesisContext context_;
  std::vector<FaultKind> kinds_;
  std::chrono::milliseconds interval_;
  std::mt19937_64 kind_rng_, fault_rng_;
  std::map<FaultKind, std::unique_ptr<Fault>> faults_;
  bool checked_ = false;
  mutable std::mutex mutex_;
  std::vector<std::string> errors_;
};

// Parses "partition,clock,kill" (also "all"); throws std::invalid_argument naming a bad kind.
std::vector<FaultKind> parse_fault_kinds(const std::string& text);

}  // namespace faultline::nemesis
