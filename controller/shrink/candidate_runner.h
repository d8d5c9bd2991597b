#pragma once
// Real runs of shrink candidates (search.h's RunCandidate): each one an ordinary `faultline
// test` run, in process, of the recorded test with the candidate's schedule and time limit,
// in its own run directory SHRINK_DIR/<label>-r<attempt>/<time>/ beside the candidate's
// schedule file SHRINK_DIR/<label>.schedule.json; what the run prints goes to
// SHRINK_DIR/<label>-r<attempt>.out.
//
// The budget is kept strictly: a run starts only if its time limit plus the longest overhead
// seen so far (setup, recovery, final reads, teardown, check; 15 s before the first run) fits
// before the deadline, and a run still going at the deadline minus that overhead is ended
// early (interrupt_current_run) and discarded. Ctrl-C ends the current run and the search.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "controller/run/test_config.h"
#include "controller/shrink/search.h"

namespace faultline {

class CandidateRunner {
 public:
  using Clock = std::chrono::steady_clock;

  // A run reproduces when its results show `anomaly` (anomaly.h's shows_anomaly, with
  // `min_staleness_ms`).
  CandidateRunner(TestConfig base, std::string anomaly, double min_staleness_ms,
                  std::filesystem::path shrink_dir, Clock::time_point deadline,
                  std::function<void(const std::string&)> log);
  ~CandidateRunner();
  CandidateRunner(const CandidateRunner&) = delete;
  CandidateRunner& operator=(const CandidateRunner&) = delete;

  CandidateRun run(const ShrinkCandidate& candidate, const std::string& label, int attempt);

  // Set when a run could not be made at all (the error), or Ctrl-C ended the search.
  const std::string& error() const { return error_; }
  bool interrupted() const { return user_interrupted_; }

  // Ctrl-C between runs (a signal handler's flag): no further run starts.
  static void request_stop();

 private:
  TestConfig base_;
  std::string anomaly_;
  double min_staleness_ms_;
  std::filesystem::path dir_;
  Clock::time_point deadline_;
  std::function<void(const std::string&)> log_;
  double overhead_s_ = 15;
  std::atomic<bool> running_{false}, cut_short_{false};
  std::string error_;
  bool user_interrupted_ = false;
  std::jthread watchdog_;
};

}  // namespace faultline
