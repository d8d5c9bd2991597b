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
    : context_(nodes, capture_starts(std::move(recorder)), std::move(hooks), origin),
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

NemesisSchedule::NemesisSchedule(remote::NodeSet& nodes, FaultSchedule schedule, Recorder recorder,
                                 NemesisHooks hooks, NemesisContext::Clock::time_point origin)
    : context_(nodes, capture_starts(std::move(recorder)), std::move(hooks), origin),
      interval_(kObservePeriod),
      kind_rng_(0),
      fault_rng_(0),
      explicit_(std::move(schedule)) {
  for (const auto& fault : explicit_->faults) {
    explicit_faults_.push_back(make_fault(fault.kind, fault.options(), context_));
  }
}

Recorder NemesisSchedule::capture_starts(Recorder recorder) {
  return [this, recorder = std::move(recorder)](Operation op) {
    if (op.f.rfind("start-", 0) == 0) {
      std::lock_guard lock(mutex_);
      last_start_ = op;
    }
    if (recorder) recorder(std::move(op));
  };
}

void NemesisSchedule::check() {
  if (checked_) return;
  if (explicit_) {
    check_schedule_nodes(*explicit_, context_.names());
    for (auto& fault : explicit_faults_) fault->check();
  } else {
    for (auto& [kind, fault] : faults_) fault->check();
  }
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

void NemesisSchedule::note(const std::exception& e) {
  std::lock_guard lock(mutex_);
  errors_.emplace_back(e.what());
}

std::optional<std::size_t> NemesisSchedule::start(Fault& fault, std::mt19937_64& rng) {
  {
    std::lock_guard lock(mutex_);
    last_start_.reset();
  }
  const std::int64_t at_ms = context_.now_ns() / 1'000'000;
  std::string error;
  try {
    fault.start(rng);
  } catch (const std::exception& e) {
    note(e);  // recorded as the operation's error; the final heal undoes what took effect
    error = e.what();
  }
  std::lock_guard lock(mutex_);
  if (!last_start_ || !last_start_->value.is_object()) return std::nullopt;
  try {
    ScheduledFault applied =
        scheduled_fault_from_start(fault.kind(), last_start_->value.get_object(), at_ms, 0);
    applied.error = error;
    applied_.faults.push_back(std::move(applied));
    return applied_.faults.size() - 1;
  } catch (const std::exception& e) {
    errors_.emplace_back(std::string("cannot keep ") + last_start_->f +
                         " in the schedule: " + e.what());
    return std::nullopt;
  }
}

void NemesisSchedule::stop(Fault& fault, std::optional<std::size_t> applied_index) {
  if (applied_index) {
    std::lock_guard lock(mutex_);
    ScheduledFault& f = applied_.faults[*applied_index];
    f.duration_ms = std::max<std::int64_t>(1, context_.now_ns() / 1'000'000 - f.at_ms);
  }
  try {
    fault.stop();
  } catch (const std::exception& e) {
    note(e);
  }
}

void NemesisSchedule::observe(Fault& fault) {
  try {
    fault.observe();
  } catch (const std::exception& e) {
    note(e);
  }
}

void NemesisSchedule::run(std::stop_token stop) {
  check();
  if (explicit_) {
    run_explicit(stop);
    heal_all();
    return;
  }
  while (sleep_unless_stopped(interval_, stop)) {
    Fault& fault = *faults_.at(kinds_[pick_index(kind_rng_, kinds_.size())]);
    const auto applied = start(fault, fault_rng_);
    // The fault lasts one interval, observed (fault.h) every kObservePeriod meanwhile.
    const auto until = std::chrono::steady_clock::now() + interval_;
    bool go_on = true;
    while (go_on) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      go_on = sleep_unless_stopped(std::min(left, kObservePeriod), stop);
      if (!go_on || std::chrono::steady_clock::now() >= until) continue;
      observe(fault);
    }
    this->stop(fault, applied);
    if (!go_on) break;
  }
  heal_all();
}

void NemesisSchedule::run_explicit(std::stop_token stop) {
  // Events in time order; at one instant stops come before starts, so back-to-back faults
  // of a kind do not overlap.
  struct Event {
    std::int64_t at_ms;
    bool is_start;
    std::size_t fault;
  };
  std::vector<Event> events;
  for (std::size_t i = 0; i < explicit_->faults.size(); ++i) {
    const auto& f = explicit_->faults[i];
    events.push_back({f.at_ms, true, i});
    events.push_back({f.end_ms(), false, i});
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.at_ms != b.at_ms ? a.at_ms < b.at_ms : (!a.is_start && b.is_start);
  });
  std::mt19937_64 unused_rng(0);                             // every choice is fixed by the options
  std::map<std::size_t, std::optional<std::size_t>> active;  // fault -> its applied_ index
  auto now_ms = [this] { return context_.now_ns() / 1'000'000; };
  // Faults in force when the run stops last until now, when the final heal undoes them.
  auto end_active = [&] {
    std::lock_guard lock(mutex_);
    for (auto& [index, applied] : active) {
      if (applied) {
        ScheduledFault& f = applied_.faults[*applied];
        f.duration_ms = std::max<std::int64_t>(1, now_ms() - f.at_ms);
      }
    }
  };
  for (const Event& event : events) {
    // Wait for the event, observing what is in force every kObservePeriod.
    while (now_ms() < event.at_ms) {
      const auto left = std::chrono::milliseconds(event.at_ms - now_ms());
      if (!sleep_unless_stopped(std::min(left, kObservePeriod), stop)) return end_active();
      if (now_ms() < event.at_ms) {
        for (auto& [index, applied] : active) observe(*explicit_faults_[index]);
      }
    }
    if (stop.stop_requested()) return end_active();
    Fault& fault = *explicit_faults_[event.fault];
    if (event.is_start) {
      active[event.fault] = start(fault, unused_rng);
    } else if (auto it = active.find(event.fault); it != active.end()) {
      this->stop(fault, it->second);
      active.erase(it);
    }
  }
  // Every fault has ended; wait for the run to stop.
  while (sleep_unless_stopped(std::chrono::milliseconds(1000), stop)) {
  }
}

std::vector<Operation> NemesisSchedule::heal_all() {
  return nemesis::heal_all(context_);
}

std::vector<std::string> NemesisSchedule::errors() const {
  std::lock_guard lock(mutex_);
  return errors_;
}

FaultSchedule NemesisSchedule::applied() const {
  std::lock_guard lock(mutex_);
  FaultSchedule out = applied_;
  // Faults still in force when the run stopped: until now (the final heal).
  for (auto& f : out.faults) {
    if (f.duration_ms == 0)
      f.duration_ms = std::max<std::int64_t>(1, context_.now_ns() / 1'000'000 - f.at_ms);
  }
  return out;
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
      throw std::invalid_argument(
          "unknown nemesis kind '" + word +
          "' (expected partition, clock, kill, pause, packet, crash or all)");
    }
    kinds.push_back(*kind);
  }
  if (kinds.empty()) throw std::invalid_argument("no nemesis kind given");
  return kinds;
}

}  // namespace faultline::nemesis
