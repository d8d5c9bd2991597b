#include "controller/shrink/candidate_runner.h"

#include <cmath>
#include <fstream>
#include <iostream>

#include "controller/run/run_store.h"
#include "controller/run/runner.h"
#include "controller/shrink/anomaly.h"
#include "reports/run_report.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
std::atomic<bool> g_stop_requested{false};

// The one run directory under store/<name>/ (each candidate run has a name of its own).
fs::path run_dir_of(const fs::path& store, const std::string& name) {
  fs::path newest;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(store / name, ec)) {
    if (entry.is_directory() && (newest.empty() || entry.path() > newest)) newest = entry.path();
  }
  return newest;
}

// While alive, what a run prints (its verdict, its log lines) goes to `file` instead of the
// terminal, which shows the search's own lines.
class QuietOutput {
 public:
  explicit QuietOutput(const fs::path& file)
      : out_(file),
        old_out_(std::cout.rdbuf(out_.rdbuf())),
        old_err_(std::cerr.rdbuf(out_.rdbuf())) {}
  ~QuietOutput() {
    std::cout.flush();
    std::cerr.flush();
    std::cout.rdbuf(old_out_);
    std::cerr.rdbuf(old_err_);
  }
  QuietOutput(const QuietOutput&) = delete;
  QuietOutput& operator=(const QuietOutput&) = delete;

 private:
  std::ofstream out_;
  std::streambuf* old_out_;
  std::streambuf* old_err_;
};

}  // namespace

void CandidateRunner::request_stop() {
  g_stop_requested.store(true);
  interrupt_current_run();
}

CandidateRunner::CandidateRunner(TestConfig base, std::string anomaly, double min_staleness_ms,
                                 fs::path shrink_dir, Clock::time_point deadline,
                                 std::function<void(const std::string&)> log)
    : base_(std::move(base)),
      anomaly_(std::move(anomaly)),
      min_staleness_ms_(min_staleness_ms),
      dir_(std::move(shrink_dir)),
      deadline_(deadline),
      log_(std::move(log)) {
  fs::create_directories(dir_);
  watchdog_ = std::jthread([this](std::stop_token stop) {
    while (!stop.stop_requested()) {
      const auto tail = std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(overhead_s_ * 0.5));
      if (running_.load() && Clock::now() >= deadline_ - tail) {
        cut_short_.store(true);
        interrupt_current_run();  // again and again: a run may not have reset its flag yet
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
}

CandidateRunner::~CandidateRunner() {
  watchdog_.request_stop();
}

CandidateRun CandidateRunner::run(const ShrinkCandidate& candidate, const std::string& label,
                                  int attempt) {
  CandidateRun out;
  out.outcome = CandidateRun::Outcome::kNoBudget;
  if (g_stop_requested.load()) {
    user_interrupted_ = true;
    return out;
  }
  if (!error_.empty()) return out;
  const double needed = candidate.time_limit_s + overhead_s_;
  const double left = std::chrono::duration<double>(deadline_ - Clock::now()).count();
  if (needed > left) {
    out.detail = "needs ~" + std::to_string(static_cast<int>(needed)) + " s, " +
                 std::to_string(static_cast<int>(left)) + " s left";
    return out;
  }
  const fs::path schedule_file = dir_ / (label + ".schedule.json");
  RunStore(dir_).write_json(schedule_file.filename().string(),
                            nemesis::to_json(candidate.schedule));
  TestConfig config = base_;
  config.store = dir_.string();
  config.name = label + "-r" + std::to_string(attempt);
  config.schedule_file = schedule_file.string();
  config.time_limit_s = candidate.time_limit_s;
  config.test_count = 1;
  const auto started = Clock::now();
  cut_short_.store(false);
  running_.store(true);
  try {
    QuietOutput quiet(dir_ / (config.name + ".out"));
    run_tests(validate(config));
  } catch (const std::exception& e) {
    running_.store(false);
    error_ = config.name + ": " + e.what();
    out.detail = error_;
    if (log_) log_("shrink: run " + config.name + " failed: " + e.what());
    return out;
  }
  running_.store(false);
  const double took = std::chrono::duration<double>(Clock::now() - started).count();
  overhead_s_ = std::max(overhead_s_, took - candidate.time_limit_s);
  const fs::path dir = run_dir_of(dir_, config.name);
  out.dir = dir.string();
  if (cut_short_.load()) {
    out.detail = "ended at the budget's end; not counted";
    return out;
  }
  if (g_stop_requested.load()) {
    user_interrupted_ = true;
    out.detail = "interrupted; not counted";
    return out;
  }
  const auto results =
      read_json_object(dir / "results.json", false).value_or(boost::json::object{});
  if (const auto* r = results.if_contains("run"); r && r->is_object()) {
    if (const auto* i = r->get_object().if_contains("interrupted");
        i && i->is_bool() && i->get_bool()) {
      user_interrupted_ = true;  // Ctrl-C reached the run's own handler
      g_stop_requested.store(true);
      out.detail = "interrupted; not counted";
      return out;
    }
  }
  out.outcome = shows_anomaly(results, anomaly_, min_staleness_ms_)
                    ? CandidateRun::Outcome::kReproduced
                    : CandidateRun::Outcome::kNotReproduced;
  out.detail = describe_anomalies(results) + "; stalest read " +
               std::to_string(static_cast<long long>(max_staleness_ms(results))) + " ms";
  return out;
}

}  // namespace faultline
