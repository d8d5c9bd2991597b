#include "controller/run/recorder.h"

#include <charconv>

namespace faultline {
namespace {

void append_int(std::string& out, std::int64_t n) {
  char text[24];
  auto end = std::to_chars(text, text + sizeof text, n).ptr;
  out.append(text, end);
}

void append_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 15];
          out += kHex[c & 15];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void append_value(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null: out += "null"; return;
    case boost::json::kind::int64: append_int(out, v.get_int64()); return;
    case boost::json::kind::string: append_string(out, v.get_string()); return;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& x : v.get_array()) {
        if (!first) out += ',';
        first = false;
        append_value(out, x);
      }
      out += ']';
      return;
    }
    default: out += boost::json::serialize(v); return;
  }
}

}  // namespace

void append_operation_json(std::string& out, const Operation& op) {
  out += "{\"index\":";
  append_int(out, op.index);
  out += ",\"type\":\"";
  out += to_string(op.type);
  out += "\",\"process\":";
  if (op.is_nemesis()) {
    out += "\"nemesis\"";
  } else {
    append_int(out, op.process);
  }
  out += ",\"f\":";
  append_string(out, op.f);
  if (op.key) {
    out += ",\"key\":";
    append_value(out, *op.key);
  }
  out += ",\"value\":";
  append_value(out, op.value);
  if (op.time != kNoTime) {
    out += ",\"time\":";
    append_int(out, op.time);
  }
  if (op.node) {
    out += ",\"node\":";
    append_string(out, *op.node);
  }
  if (op.error) {
    out += ",\"error\":";
    append_value(out, *op.error);
  }
  for (const auto& [k, v] : op.extra) {
    out += ',';
    append_string(out, k);
    out += ':';
    append_value(out, v);
  }
  out += '}';
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
    case OpType::kOk: ok_.fetch_add(1, std::memory_order_relaxed); break;
    case OpType::kFail: fail_.fetch_add(1, std::memory_order_relaxed); break;
    default: info_.fetch_add(1, std::memory_order_relaxed); break;
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
