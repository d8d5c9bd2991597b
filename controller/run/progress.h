#pragma once
// The run's progress: on a terminal, one live line redrawn four times a second
//   [ 12.3/60 s] ok 1234  fail 12  info 3 | faults: partition (halves), kill n2
// elsewhere, a plain log line every 10 seconds. FaultTracker follows the nemesis operations
// to say which faults are active.

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "checker/history/operation.h"
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

class ProgressDisplay {
 public:
  ProgressDisplay(const HistoryRecorder& recorder, const FaultTracker& faults, double limit_s,
                  bool terminal, RunLog& log);
  ~ProgressDisplay();
  // Stops redrawing and clears the live line. Idempotent.
  void stop();

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
  std::thread thread_;
};

}  // namespace faultline
