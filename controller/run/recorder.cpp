#include "controller/run/recorder.h"

#include "checker/history/jsonl.h"

namespace faultline {
// The recorder writes the one JSONL serialiser's lines (checker/history/jsonl.h).
void append_operation_json(std::string& out, const Operation& op) {
  append_jsonl_line(out, op);
}

HistoryRecorder::HistoryRecorder(std::ostream* out, Clock::time_point origin)
    : out_(out), origin_(origin) {}

std::int64_t HistoryRecorder::now_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - origin_).count();
}

std::int64_t HistoryRecorder::append(Operation& op) {
  std::lock_guard lock(mutex_);
  op.index = next_index_++;
  op.time = now_ns();
  if (out_) {
    append_operation_json(buffer_, op);
    buffer_ += '\n';
  }
  if (observer_) observer_(op);
  return next_index_;
}

void HistoryRecorder::write_through(std::int64_t sequence) {
  if (!out_) return;
  std::lock_guard write_lock(write_mutex_);
  if (written_ >= sequence) return;  // another thread's write carried this line
  std::int64_t upto = 0;
  {
    std::lock_guard lock(mutex_);
    writing_.swap(buffer_);
    upto = next_index_;
  }
  out_->write(writing_.data(), static_cast<std::streamsize>(writing_.size()));
  out_->flush();
  writing_.clear();
  written_ = upto;
}

void HistoryRecorder::invoke(Operation& op) {
  op.type = OpType::kInvoke;
  append(op);
  invoked_.fetch_add(1, std::memory_order_relaxed);
}

void HistoryRecorder::complete(Operation& op) {
  write_through(append(op));
  switch (op.type) {
    case OpType::kOk:
      ok_.fetch_add(1, std::memory_order_relaxed);
      break;
    case OpType::kFail:
      fail_.fetch_add(1, std::memory_order_relaxed);
      break;
    default:
      info_.fetch_add(1, std::memory_order_relaxed);
      break;
  }
}

void HistoryRecorder::nemesis(Operation op) {
  op.process = kNemesisProcess;
  write_through(append(op));
}

OutcomeCounts HistoryRecorder::counts() const {
  return OutcomeCounts{invoked_.load(), ok_.load(), fail_.load(), info_.load()};
}

}  // namespace faultline
