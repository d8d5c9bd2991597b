#pragma once
// HistoryRecorder: the one writer of a run's history. Client workers and the nemesis hand it
// operations as they happen; it numbers them (index), stamps them (ns since the run's
// origin, on the monotonic clock, taken under the same lock so index order is time order)
// and appends them to history.jsonl in the canonical JSONL form (to_json(Operation), one
// object per line, docs/history-format.md).
//
// Durability: complete() and nemesis() return only once their line, and every line before
// it, has been handed to the kernel (group commit: one write covers the lines of every
// thread waiting at that moment), so a controller killed at any moment leaves every
// completed operation on disk. An invocation whose completion was not written reads back as
// an unknown outcome. Thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

#include "checker/history/operation.h"

namespace faultline {

struct OutcomeCounts {
  std::uint64_t invoked = 0, ok = 0, fail = 0, info = 0;
};

class HistoryRecorder {
 public:
  using Clock = std::chrono::steady_clock;
  // `out` may be null: operations are numbered and counted, nothing is written (benchmarks).
  HistoryRecorder(std::ostream* out, Clock::time_point origin);

  // ns since the origin.
  std::int64_t now_ns() const;

  // Records an invocation: sets op.type, op.index and op.time. Buffered until the next
  // completion is written.
  void invoke(Operation& op);
  // Records a completion (type ok/fail/info): sets index and time; returns once it is written.
  void complete(Operation& op);
  // Records a nemesis operation (process set to the nemesis, time = when recorded; the
  // fault's own per-node times stay in its extras); returns once it is written.
  void nemesis(Operation op);

  OutcomeCounts counts() const;

  // Called with every operation as it is recorded (index and time set), in index order,
  // under the recorder's lock, so it must be quick (copy and queue: the online check,
  // docs/online.md). Set before anything is recorded.
  void set_observer(std::function<void(const Operation&)> observer) {
    observer_ = std::move(observer);
  }

 private:
  // Appends the op's line to the buffer; returns its sequence number (index + 1).
  std::int64_t append(Operation& op);
  // Writes the buffer out unless lines up to `sequence` are already written.
  void write_through(std::int64_t sequence);

  std::ostream* out_;
  Clock::time_point origin_;
  std::mutex mutex_;  // index, time, buffer_
  std::int64_t next_index_ = 0;
  std::string buffer_;
  std::function<void(const Operation&)> observer_;
  std::mutex write_mutex_;    // out_, written_
  std::int64_t written_ = 0;  // lines handed to the kernel
  std::string writing_;       // swapped with buffer_ for each write
  std::atomic<std::uint64_t> invoked_{0}, ok_{0}, fail_{0}, info_{0};
};

// Appends the canonical JSON line of `op` (as boost::json::serialize(to_json(op))) without
// the newline. Faster than building the object: the recorder's hot path.
void append_operation_json(std::string& out, const Operation& op);

}  // namespace faultline
