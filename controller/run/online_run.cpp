#include "controller/run/online_run.h"

#include <fstream>

#include "checker/online/online_bank.h"
#include "checker/online/online_counter.h"
#include "checker/online/online_lin.h"
#include "checker/online/online_set.h"
#include "checker/perf/fault_windows.h"

namespace faultline {

bool has_online_check(const std::string& workload) {
  return workload == "register" || workload == "bank" || workload == "set" || workload == "counter";
}

std::unique_ptr<OnlineRun> OnlineRun::make(const Workload& workload, std::size_t concurrency,
                                           double key_time_limit_s,
                                           const std::filesystem::path& run_dir,
                                           std::function<void(const OnlineProof&)> on_violation) {
  const WorkloadOptions& w = workload.options();
  if (workload.name() == "register") {
    // As RegisterWorkload::check: cas-register, every key decided.
    OnlineLinOptions options;
    options.check.model = "cas-register";
    options.check.all_keys = true;
    options.check.time_limit_s = key_time_limit_s;
    options.rotation =
        KeyRotation{std::max<std::size_t>(1, w.keys), std::max<std::size_t>(1, concurrency)};
    options.keep_valid_partitions = false;
    options.source = (run_dir / "history.jsonl").string();
    return std::unique_ptr<OnlineRun>(new OnlineRun(
        std::make_unique<OnlineLinearizability>(options), "linearizability (cas-register, per key)",
        true, run_dir, std::move(on_violation)));
  }
  if (workload.name() == "bank") {
    BankCheckOptions options;  // as BankWorkload::check
    for (std::size_t i = 0; i < w.accounts; ++i) options.accounts.push_back(std::to_string(i));
    options.total = w.total;
    return std::unique_ptr<OnlineRun>(
        new OnlineRun(std::make_unique<OnlineBank>(options, (run_dir / "history.jsonl").string()),
                      "bank", false, run_dir, std::move(on_violation)));
  }
  if (workload.name() == "set") {
    SetCheckOptions options;  // as SetWorkload::check
    options.stale_is_anomaly = w.linearizable_reads;
    return std::unique_ptr<OnlineRun>(
        new OnlineRun(std::make_unique<OnlineSet>(options, (run_dir / "history.jsonl").string()),
                      "set", false, run_dir, std::move(on_violation)));
  }
  if (workload.name() == "counter") {  // as CounterWorkload::check
    return std::unique_ptr<OnlineRun>(
        new OnlineRun(std::make_unique<OnlineCounter>((run_dir / "history.jsonl").string()),
                      "counter", false, run_dir, std::move(on_violation)));
  }
  return nullptr;
}

OnlineRun::OnlineRun(std::unique_ptr<OnlineCheck> check, std::string checker, bool skip_final,
                     std::filesystem::path run_dir,
                     std::function<void(const OnlineProof&)> on_violation)
    : checker_(std::move(checker)),
      skip_final_(skip_final),
      file_(run_dir / "online.json"),
      feed_(std::make_unique<OnlineFeed>(
          std::move(check),
          [this, on_violation = std::move(on_violation)](const OnlineProof& proof) {
            bool clients_running = false;
            {
              std::lock_guard lock(mutex_);
              clients_running = phase_ == "running";
            }
            if (clients_running && on_violation) on_violation(proof);
          })) {
  write_file("running");
  writer_ = std::thread([this] { run_writer(); });
}

OnlineRun::~OnlineRun() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void OnlineRun::observe(const Operation& op) {
  if (skip_final_ && !op.is_nemesis() && is_final_op(op)) return;
  Operation copy = op;
  copy.line = static_cast<std::size_t>(op.index) + 1;  // history.jsonl: one record a line
  feed_->push(std::move(copy));
}

void OnlineRun::clients_done() {
  std::lock_guard lock(mutex_);
  phase_ = "checking";
}

void OnlineRun::finish(const std::string& state) {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    phase_ = state;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
  feed_->finish();
  write_file(state);
}

boost::json::object OnlineRun::to_json() const {
  OnlineState s = feed_->state();
  boost::json::object out = s.to_json();
  out["verdict"] = to_string(s.verdict_so_far());
  out["checker"] = checker_;
  return out;
}

void OnlineRun::write_file(const std::string& state) const {
  boost::json::object doc{
      {"schema", "faultline.online/1"},
      {"state", state},
      {"elapsed_s",
       std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count()},
      {"checker", checker_}};
  for (auto& [k, v] : feed_->state().to_json()) doc[k] = v;
  const std::filesystem::path tmp = file_.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return;  // the run directory is gone: nothing to show
    out << boost::json::serialize(doc) << '\n';
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file_, ec);
}

void OnlineRun::run_writer() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
    const std::string phase = phase_;
    lock.unlock();
    write_file(phase);
    lock.lock();
  }
}

}  // namespace faultline
