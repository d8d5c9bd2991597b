#include "nemesis/schedule.h"

#include <algorithm>
#include <condition_variable>
#include <stdexcept>

#include "nemesis/errors.h"
#include "nemesis/random.h"

namespace faultline::nemesis {
namespace {

// The fault generator gets a seed of its own so that the kind sequence does not depend on
// how many random draws each fault makes.
constexpr std::uint64_t kFaultSeedSalt = 0x9e3779b97f4a7c15ULL;

// Sleeps `duration` unless `stop` is requested first; returns false if it was.
bool sleep_unless_stopped(std::chrono::milliseconds duration, std::stop_token stop) {
  std::mutex mutex;
  std::condition_variable_any cv;
  std::unique_lock lock(mutex);
  cv.wait_for(lock, stop, duration, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace

NemesisSchedule::NemesisSchedule(remote::NodeSet& nodes, std::vector<FaultKind> kinds,
                                 std::chrono::milliseconds interval, std::uint64_t seed,
                                 Recorder recorder, NemesisHooks hooks, FaultOptions options,
                                 NemesisContext::Clock::time_point origin)
    : context_(nodes, std::move(recorder), std::move(hooks), origin),
      kinds_(std::move(kinds)),
      interval_(interval),
      kind_rng_(seed),
      fault_rng_(seed ^ kFaultSeedSalt) {
  if (kinds_.empty()) throw std::invalid_argument("a nemesis schedule needs at least one kind");
  if (interval_.count() <= 0) throw std::invalid_argument("the nemesis interval must be positive");
  for (FaultKind kind : kinds_) {
    if (!faults_.contains(kind)) faults_[kind] = make_fault(kind, options, context_);
  }
}

void NemesisSchedule::check() {
  if (checked_) return;
  for (auto& [kind, fault] : faults_) fault->check();
  checked_ = true;
}

std::vector<FaultKind> NemesisSchedule::plan(const std::vector<FaultKind>& kinds,
                                             std::uint64_t seed, std::size_t count) {
  std::mt19937_64 rng(seed);
  std::vector<FaultKind> out;
  for (std::size_t i = 0; i < count && !kinds.empty(); ++i) {
    out.push_back(kinds[pick_index(rng, kinds.size())]);
  }
  return out;
}

void NemesisSchedule::run(std::stop_token stop) {
  check();
  auto note = [this](const std::exception& e) {
    std::lock_guard lock(mutex_);
    errors_.emplace_back(e.what());
  };
  while (sleep_unless_stopped(interval_, stop)) {
    Fault& fault = *faults_.at(kinds_[pick_index(kind_rng_, kinds_.size())]);
    try {
      fault.start(fault_rng_);
    } catch (const std::exception& e) {
      note(e);  // recorded as the operation's error; the final heal undoes what took effect
    }
    // The fault lasts one interval, observed (fault.h) every kObservePeriod meanwhile.
    const auto until = std::chrono::steady_clock::now() + interval_;
    bool go_on = true;
    while (go_on) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      go_on = sleep_unless_stopped(std::min(left, kObservePeriod), stop);
      if (!go_on || std::chrono::steady_clock::now() >= until) continue;
      try {
        fault.observe();
      } catch (const std::exception& e) {
        note(e);
      }
    }
    try {
      fault.stop();
    } catch (const std::exception& e) {
      note(e);
    }
    if (!go_on) break;
  }
  heal_all();
}

std::vector<Operation> NemesisSchedule::heal_all() {
  return nemesis::heal_all(context_);
}

std::vector<std::string> NemesisSchedule::errors() const {
  std::lock_guard lock(mutex_);
  return errors_;
}

std::vector<FaultKind> parse_fault_kinds(const std::string& text) {
  std::vector<FaultKind> kinds;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find(',', begin);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(begin, end - begin);
    begin = end + 1;
    if (word.empty()) continue;
    if (word == "all") {
      for (FaultKind kind : all_fault_kinds()) kinds.push_back(kind);
      continue;
    }
    auto kind = parse_fault_kind(word);
    if (!kind) {
      throw std::invalid_argument("unknown nemesis kind '" + word +
                                  "' (expected partition, clock, kill, pause, packet, crash or all)");
    }
    kinds.push_back(*kind);
  }
  if (kinds.empty()) throw std::invalid_argument("no nemesis kind given");
  return kinds;
}

}  // namespace faultline::nemesis
