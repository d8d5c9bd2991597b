// fifo-queue and unordered-queue: a queue of values, initially empty (or --initial, an array).
//
//   enqueue v    adds v (at the back)
//   dequeue      ok value v: removed v, which must be at the front (fifo) / anywhere in the
//                queue (unordered); ok value null: the queue was empty; unknown: removed
//                whatever was at the front (fifo) / any one element (unordered), if any
//
// State: the interned vector of element ids; kept sorted for the unordered queue (a multiset).

#include <algorithm>
#include <memory>

#include "checker/history/interning.h"
#include "checker/lin/model.h"

namespace faultline {
namespace {

class QueueModel final : public PartitionModel {
 public:
  QueueModel(const ModelConfig& config, bool fifo) : fifo_(fifo) {
    std::vector<std::int64_t> init;
    if (config.initial && !config.initial->is_null()) {
      const auto* array = config.initial->if_array();
      if (array == nullptr) throw ModelInputError("queue model: --initial needs an array");
      for (const auto& e : *array) init.push_back(values_.intern(e));
      if (!fifo_) std::sort(init.begin(), init.end());
    }
    initial_ = states_.intern(init);
  }

  int add(const ModelInput& in) override {
    Op op;
    if (in.f == "enqueue") {
      op.kind = Kind::kEnqueue;
      op.element = values_.intern(in.invoke_value);
    } else if (in.f == "dequeue") {
      if (!in.known()) {
        op.kind = Kind::kDequeueAny;
      } else if (in.result->is_null()) {
        op.kind = Kind::kDequeueEmpty;
      } else {
        op.kind = Kind::kDequeue;
        op.element = values_.intern(*in.result);
      }
    } else {
      throw ModelInputError(std::string(name()) + " model: unknown operation '" + in.f +
                            "' (expected enqueue, dequeue)");
    }
    ops_.push_back(op);
    return static_cast<int>(ops_.size() - 1);
  }

  std::uint64_t initial() override { return initial_; }

  void step(std::uint64_t state, int id, std::vector<std::uint64_t>& next) override {
    const Op& op = ops_[id];
    const auto& q = states_.words(state);
    switch (op.kind) {
      case Kind::kEnqueue:
        scratch_.assign(q.begin(), q.end());
        if (fifo_) {
          scratch_.push_back(op.element);
        } else {
          scratch_.insert(std::upper_bound(scratch_.begin(), scratch_.end(), op.element),
                          op.element);
        }
        next.push_back(states_.intern(scratch_));
        return;
      case Kind::kDequeueEmpty:
        if (q.empty()) next.push_back(state);
        return;
      case Kind::kDequeue: {
        auto at = fifo_ ? q.begin() : std::lower_bound(q.begin(), q.end(), op.element);
        if (at == q.end() || *at != op.element) return;
        remove(state, at - q.begin(), next);
        return;
      }
      case Kind::kDequeueAny:
        if (fifo_) {
          if (!q.empty()) remove(state, 0, next);
          return;
        }
        for (std::size_t i = 0; i < states_.words(state).size(); ++i) {
          const auto& cur = states_.words(state);
          if (i == 0 || cur[i] != cur[i - 1]) remove(state, i, next);
        }
        return;
    }
  }

  bool read_only(int id) const override { return ops_[id].kind == Kind::kDequeueEmpty; }

  std::string describe_state(std::uint64_t state) const override {
    const auto& q = states_.words(state);
    std::string out = "[";
    for (std::size_t i = 0; i < q.size(); ++i) {
      if (i) out += ' ';
      out += values_.text(q[i]);
    }
    return out + "]";
  }
  std::string describe_op(int id) const override {
    const Op& op = ops_[id];
    switch (op.kind) {
      case Kind::kEnqueue:
        return "enqueue " + values_.text(op.element);
      case Kind::kDequeue:
        return "dequeue " + values_.text(op.element);
      case Kind::kDequeueEmpty:
        return "dequeue nil";
      case Kind::kDequeueAny:
        return "dequeue (result unknown)";
    }
    return "?";
  }
  std::string why_rejects(std::uint64_t state, int id) const override {
    const Op& op = ops_[id];
    const auto& q = states_.words(state);
    switch (op.kind) {
      case Kind::kEnqueue:
        return "";
      case Kind::kDequeueEmpty:
        return q.empty() ? ""
                         : "dequeue found the queue empty, but it holds " + describe_state(state);
      case Kind::kDequeueAny:
        return q.empty() ? "dequeue, but the queue is empty" : "";
      case Kind::kDequeue:
        if (q.empty()) return describe_op(id) + ", but the queue is empty";
        if (fifo_ && q.front() != op.element) {
          return describe_op(id) + ", but the front of the queue is " + values_.text(q.front());
        }
        if (!fifo_ && !std::binary_search(q.begin(), q.end(), op.element)) {
          return describe_op(id) + ", but the queue holds " + describe_state(state);
        }
        return "";
    }
    return "";
  }
  std::size_t memory_bytes() const override {
    return states_.memory_bytes() + values_.memory_bytes() + ops_.capacity() * sizeof(Op);
  }

 private:
  enum class Kind : std::uint8_t { kEnqueue, kDequeue, kDequeueEmpty, kDequeueAny };
  struct Op {
    Kind kind = Kind::kEnqueue;
    std::int64_t element = 0;
  };
  const char* name() const { return fifo_ ? "fifo-queue" : "unordered-queue"; }

  void remove(std::uint64_t state, std::size_t at, std::vector<std::uint64_t>& next) {
    const auto& q = states_.words(state);
    scratch_.assign(q.begin(), q.end());
    scratch_.erase(scratch_.begin() + static_cast<std::ptrdiff_t>(at));
    next.push_back(states_.intern(scratch_));
  }

  bool fifo_;
  ValueInterner values_;
  StateInterner states_;
  std::uint64_t initial_ = 0;
  std::vector<Op> ops_;
  std::vector<std::int64_t> scratch_;
};

}  // namespace

std::unique_ptr<PartitionModel> make_fifo_queue_model(const ModelConfig& config) {
  return std::make_unique<QueueModel>(config, true);
}
std::unique_ptr<PartitionModel> make_unordered_queue_model(const ModelConfig& config) {
  return std::make_unique<QueueModel>(config, false);
}

}  // namespace faultline
