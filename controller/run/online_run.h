#pragma once
// OnlineRun: the online check of one run (docs/online.md). The recorder hands it every
// operation as it records it (observe); an OnlineFeed checks them on its own thread. It writes
// online.json into the run directory every second, tells `on_violation` about the first proof,
// and at the end gives its verdict for results.json (`online`), where it sits beside the
// offline verdict it must equal.
//
// Which online check a workload gets: register -> per-key linearizability (cas-register, the
// register workload's key rotation); bank, counter -> read by read; set -> what a read proves
// at its completion, check_set at the end. Others (transactional) have none (make returns
// nullptr): their checkers need the whole history (docs/online.md says why).

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "checker/online/online_feed.h"
#include "workloads/workload.h"

namespace faultline {

// Whether OnlineRun::make gives the workload named so an online check.
bool has_online_check(const std::string& workload);

class OnlineRun {
 public:
  // nullptr when the workload has no online check. `concurrency`: the client workers (their
  // process rule gives the key rotation its workers). `on_violation` runs on the feed's
  // thread, once, with the first proof, if it comes before clients_done().
  // `key_time_limit_s`: the linearizability search's limit per key (0: none).
  static std::unique_ptr<OnlineRun> make(const Workload& workload, std::size_t concurrency,
                                         double key_time_limit_s,
                                         const std::filesystem::path& run_dir,
                                         std::function<void(const OnlineProof&)> on_violation);
  ~OnlineRun();

  // Every recorded operation, in index order (the recorder's observer; quick: a copy into a
  // queue). Final operations (after the heal: convergence reads) are skipped for the
  // register, whose offline checker leaves them out too (is_final_op, on each record).
  void observe(const Operation& op);
  // The client phase is over: online.json says "checking".
  void clients_done();
  // Decides what is pending and writes online.json a last time (state `state`).
  void finish(const std::string& state = "checked");
  OnlineState state() const { return feed_->state(); }
  // {"verdict", "checker", the state's fields}: results.json's `online`.
  boost::json::object to_json() const;
  // online.json, now.
  void write_file(const std::string& state) const;

 private:
  OnlineRun(std::unique_ptr<OnlineCheck> check, std::string checker, bool skip_final,
            std::filesystem::path run_dir, std::function<void(const OnlineProof&)> on_violation);
  void run_writer();

  std::string checker_;
  bool skip_final_;
  std::filesystem::path file_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::string phase_ = "running";
  bool stopping_ = false;
  std::unique_ptr<OnlineFeed> feed_;  // after what its callback uses
  std::thread writer_;
};

}  // namespace faultline
