#include "checker/online/online_feed.h"

#include <exception>

namespace faultline {

OnlineFeed::OnlineFeed(std::unique_ptr<OnlineCheck> check,
                       std::function<void(const OnlineProof&)> on_violation)
    : check_(std::move(check)), on_violation_(std::move(on_violation)) {
  snapshot_ = check_->state();
  thread_ = std::thread([this] { run(); });
}

OnlineFeed::~OnlineFeed() {
  finish();
}

void OnlineFeed::push(const Operation& op) {
  push(Operation(op));
}

void OnlineFeed::push(Operation&& op) {
  const std::size_t bytes = approximate_bytes(op);
  bool was_empty = false;
  {
    std::lock_guard lock(mutex_);
    if (finishing_) return;
    was_empty = queue_.empty();
    queue_.push_back(std::move(op));
    queued_bytes_ += bytes;
  }
  if (was_empty) wake_.notify_one();  // the feed's thread sleeps only on an empty queue
}

void OnlineFeed::finish() {
  {
    std::lock_guard lock(mutex_);
    if (finishing_ && !thread_.joinable()) return;
    finishing_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

OnlineState OnlineFeed::state() const {
  std::lock_guard lock(mutex_);
  OnlineState s = snapshot_;
  s.held_operations += queue_.size();
  s.held_bytes += queued_bytes_;
  s.peak_held_bytes = std::max(s.peak_held_bytes, s.held_bytes);
  return s;
}

void OnlineFeed::run() {
  std::vector<Operation> batch;
  std::string error;
  for (;;) {
    bool last = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return finishing_ || !queue_.empty(); });
      batch.swap(queue_);
      queued_bytes_ = 0;
      last = finishing_ && batch.empty();
    }
    if (error.empty()) {
      try {
        for (const Operation& op : batch) check_->add(op);
        if (last) check_->finish();
      } catch (const std::exception& e) {
        error = e.what();
      }
    }
    batch.clear();
    OnlineState s = check_->state();
    if (!error.empty()) s.error = error;
    std::optional<OnlineProof> report;
    {
      std::lock_guard lock(mutex_);
      // Between batches the queue's bytes were counted by state(); keep the peak.
      s.peak_held_bytes = std::max(s.peak_held_bytes, snapshot_.peak_held_bytes);
      snapshot_ = std::move(s);
      if (snapshot_.first_violation && !reported_) {
        report = snapshot_.first_violation;
        reported_ = true;
      }
    }
    if (report && on_violation_) on_violation_(*report);
    if (last) return;
  }
}

}  // namespace faultline
