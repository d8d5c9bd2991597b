#pragma once
// The run's progress: on a terminal, one live line redrawn four times a second
//   [ 12.3/60 s] ok 1234  fail 12  info 3 | faults: partition (halves), kill n2
//     | keys: 40 valid, 1 invalid, 16 pending; nonlinearizable-key 1
// (the last part when the run is checked online, docs/online.md),
// elsewhere, a plain log line every 10 seconds. FaultTracker follows the nemesis operations
// to say which faults are active.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "checker/history/operation.h"
#include "checker/online/online_check.h"
#include "controller/run/recorder.h"
#include "controller/run/run_store.h"

namespace faultline {

class FaultTracker {
 public:
  // Takes note of a nemesis operation (start-X, stop-X).
  void observe(const Operation& op);
  // "partition (halves), kill n2", or "none".
  std::string describe() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> active_;  // kind -> description
};

// "keys: 40 valid, 1 invalid, 16 pending; nonlinearizable-key 1".
std::string describe_online(const OnlineState& state);

class ProgressDisplay {
 public:
  ProgressDisplay(const HistoryRecorder& recorder, const FaultTracker& faults, double limit_s,
                  bool terminal, RunLog& log);
  ~ProgressDisplay();
  // Stops redrawing and clears the live line. Idempotent.
  void stop();
  // Adds the online check's state to the line; `state` is called from the display's thread.
  void show_online(std::function<OnlineState()> state);

 private:
  std::string line() const;
  void run();

  const HistoryRecorder& recorder_;
  const FaultTracker& faults_;
  double limit_s_;
  bool terminal_;
  RunLog& log_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  mutable std::mutex online_mutex_;  // online_
  std::function<OnlineState()> online_;
  std::thread thread_;
};

}  // namespace faultline
