#pragma once
// OnlineFeed: an OnlineCheck behind a queue and a thread of its own, so that the thread that
// records the history (the run's recorder, a replay) only copies each operation into a queue.
// The feed's thread hands the operations to the check in the order they were pushed and
// publishes a snapshot of its state after each batch.

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "checker/online/online_check.h"

namespace faultline {

class OnlineFeed {
 public:
  // `on_violation` (optional) is called once, on the feed's thread, with the first proof.
  explicit OnlineFeed(std::unique_ptr<OnlineCheck> check,
                      std::function<void(const OnlineProof&)> on_violation = {});
  ~OnlineFeed();  // finish()es
  OnlineFeed(const OnlineFeed&) = delete;
  OnlineFeed& operator=(const OnlineFeed&) = delete;

  // Thread-safe; operations must be pushed in history order. Ignored after finish().
  void push(const Operation& op);
  void push(Operation&& op);
  // Waits until every pushed operation was checked, then finishes the check (decides what is
  // still pending) and stops the thread. Idempotent.
  void finish();
  // The latest snapshot; held_* include the operations still queued.
  OnlineState state() const;
  // The check itself, for its final result: only after finish().
  OnlineCheck& check() { return *check_; }

 private:
  void run();

  std::unique_ptr<OnlineCheck> check_;
  std::function<void(const OnlineProof&)> on_violation_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Operation> queue_;
  std::size_t queued_bytes_ = 0;
  bool finishing_ = false;
  bool reported_ = false;
  OnlineState snapshot_;
  std::thread thread_;
};

}  // namespace faultline
