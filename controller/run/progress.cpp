#include "controller/run/progress.h"

#include <cstdio>
#include <iomanip>
#include <sstream>

namespace faultline {

void FaultTracker::observe(const Operation& op) {
  const std::string& f = op.f;
  std::lock_guard lock(mutex_);
  if (f.rfind("start-", 0) == 0) {
    std::string kind = f.substr(6);
    std::string text = kind;
    if (const auto* v = op.value.if_object()) {
      if (const auto* g = v->if_contains("grudge"); g && g->is_string()) {
        text.append(" (").append(g->get_string()).append(")");
      } else if (const auto* t = v->if_contains("targets"); t && t->is_array()) {
        for (const auto& name : t->get_array()) {
          if (name.is_string()) text.append(" ").append(name.get_string());
        }
      }
    }
    active_[kind] = text;
  } else if (f.rfind("stop-", 0) == 0) {
    active_.erase(f.substr(5));
  }
}

std::string FaultTracker::describe() const {
  std::lock_guard lock(mutex_);
  if (active_.empty()) return "none";
  std::string out;
  for (const auto& [kind, text] : active_) out += (out.empty() ? "" : ", ") + text;
  return out;
}

ProgressDisplay::ProgressDisplay(const HistoryRecorder& recorder, const FaultTracker& faults,
                                 double limit_s, bool terminal, RunLog& log)
    : recorder_(recorder), faults_(faults), limit_s_(limit_s), terminal_(terminal), log_(log) {
  thread_ = std::thread([this] { run(); });
}

ProgressDisplay::~ProgressDisplay() {
  stop();
}

void ProgressDisplay::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (terminal_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }
}

void ProgressDisplay::show_online(std::function<OnlineState()> state) {
  std::lock_guard lock(online_mutex_);
  online_ = std::move(state);
}

std::string describe_online(const OnlineState& s) {
  std::ostringstream out;
  out << s.unit << ": " << s.valid << " valid, " << s.invalid << " invalid, ";
  if (s.unknown > 0) out << s.unknown << " unknown, ";
  out << s.pending << " pending";
  if (!s.anomalies.empty()) {
    out << ';';
    for (const auto& [kind, n] : s.anomalies) out << ' ' << kind << ' ' << n;
  }
  if (!s.error.empty()) out << "; online check stopped: " << s.error;
  return out.str();
}

std::string ProgressDisplay::line() const {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  OutcomeCounts c = recorder_.counts();
  std::ostringstream out;
  std::function<OnlineState()> online;
  {
    std::lock_guard lock(online_mutex_);
    online = online_;
  }
  out << '[' << std::fixed << std::setprecision(1) << std::setw(5) << elapsed << '/'
      << std::setprecision(0) << limit_s_ << " s] ok " << c.ok << "  fail " << c.fail << "  info "
      << c.info << " | faults: " << faults_.describe();
  if (online) out << " | " << describe_online(online());
  return out.str();
}

void ProgressDisplay::run() {
  auto period = terminal_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(10'000);
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
    if (terminal_) {
      std::string text = "\r\033[K" + line();
      std::fputs(text.c_str(), stderr);
      std::fflush(stderr);
    } else {
      log_.line("progress " + line());
    }
  }
}

}  // namespace faultline
