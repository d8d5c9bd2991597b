// register and cas-register: one value, initially nil (or --initial).
//
//   read            ok value v: the register held v (null: it held nil, or with
//                   NilReads::kUnknown the value is unknown and the read is dropped);
//                   unknown outcome: dropped
//   write v         sets v
//   cas [old new]   (cas-register only) ok: the register held old and now holds new;
//                   fail: the compare failed, dropped like every fail
//
// State: the id of the value held (values interned per partition).

#include <memory>
#include <unordered_set>

#include "checker/history/interning.h"
#include "checker/lin/model.h"

namespace faultline {
namespace {

class RegisterModel final : public PartitionModel {
 public:
  RegisterModel(const ModelConfig& config, bool cas)
      : cas_(cas), nil_unknown_(config.nil_reads == NilReads::kUnknown) {
    initial_ = values_.intern(config.initial.value_or(nullptr));
  }

  int add(const ModelInput& in) override {
    Op op;
    if (in.f == "read" || in.f == "r") {
      if (!in.known() || (nil_unknown_ && in.result->is_null())) return kDrop;
      op.kind = Kind::kRead;
      op.a = values_.intern(*in.result);
    } else if (in.f == "write" || in.f == "w") {
      op.kind = Kind::kWrite;
      op.a = values_.intern(in.invoke_value);
    } else if (cas_ && in.f == "cas") {
      const auto* pair = in.invoke_value.if_array();
      if (pair == nullptr || pair->size() != 2) {
        throw ModelInputError("cas needs a value [old new], got " + value_text(in.invoke_value));
      }
      op.kind = Kind::kCas;
      op.a = values_.intern((*pair)[0]);
      op.b = values_.intern((*pair)[1]);
    } else {
      throw ModelInputError(std::string(cas_ ? "cas-register" : "register") +
                            " model: unknown operation '" + in.f + "' (expected read, write" +
                            (cas_ ? ", cas)" : ")"));
    }
    op.known = in.known();
    ops_.push_back(op);
    return static_cast<int>(ops_.size() - 1);
  }

  // An unknown write (or cas) whose new value nothing reads or compares against can be
  // linearized last, i.e. never: nothing after it could tell.
  void find_unobservable(std::vector<char>& droppable) const override {
    std::unordered_set<std::int64_t> observed;
    for (const Op& op : ops_) {
      if (op.kind == Kind::kRead || op.kind == Kind::kCas) observed.insert(op.a);
    }
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      const Op& op = ops_[i];
      if (op.known) continue;
      std::int64_t written = op.kind == Kind::kWrite ? op.a : op.b;
      if (!observed.count(written)) droppable[i] = 1;
    }
  }

  std::uint64_t initial() override { return static_cast<std::uint64_t>(initial_); }

  void step(std::uint64_t state, int id, std::vector<std::uint64_t>& next) override {
    const Op& op = ops_[id];
    switch (op.kind) {
      case Kind::kRead:
        if (static_cast<std::int64_t>(state) == op.a) next.push_back(state);
        return;
      case Kind::kWrite:
        next.push_back(static_cast<std::uint64_t>(op.a));
        return;
      case Kind::kCas:
        if (static_cast<std::int64_t>(state) == op.a)
          next.push_back(static_cast<std::uint64_t>(op.b));
        return;
    }
  }

  bool read_only(int id) const override { return ops_[id].kind == Kind::kRead; }
  bool blind(int id) const override { return ops_[id].kind == Kind::kWrite; }

  std::optional<RegisterAccess> register_access(int id) const override {
    const Op& op = ops_[id];
    if (op.kind == Kind::kCas) return std::nullopt;
    return RegisterAccess{op.kind == Kind::kWrite, static_cast<std::uint64_t>(op.a)};
  }

  std::string describe_state(std::uint64_t state) const override { return values_.text(state); }

  std::string describe_op(int id) const override {
    const Op& op = ops_[id];
    switch (op.kind) {
      case Kind::kRead:
        return "read " + values_.text(op.a);
      case Kind::kWrite:
        return "write " + values_.text(op.a);
      case Kind::kCas:
        return "cas [" + values_.text(op.a) + " " + values_.text(op.b) + "]";
    }
    return "?";
  }

  std::string why_rejects(std::uint64_t state, int id) const override {
    const Op& op = ops_[id];
    if (op.kind == Kind::kWrite || static_cast<std::int64_t>(state) == op.a) return "";
    return describe_op(id) + ", but the register holds " + values_.text(state);
  }

  std::size_t memory_bytes() const override {
    return values_.memory_bytes() + ops_.capacity() * sizeof(Op);
  }

 private:
  enum class Kind : std::uint8_t { kRead, kWrite, kCas };
  struct Op {
    Kind kind = Kind::kRead;
    bool known = true;
    std::int64_t a = 0;  // read: value; write: value; cas: old
    std::int64_t b = 0;  // cas: new
  };
  bool cas_;
  bool nil_unknown_;  // a nil read matches any state (dropped)
  ValueInterner values_;
  std::int64_t initial_ = 0;
  std::vector<Op> ops_;
};

}  // namespace

std::unique_ptr<PartitionModel> make_register_model(const ModelConfig& config) {
  return std::make_unique<RegisterModel>(config, false);
}
std::unique_ptr<PartitionModel> make_cas_register_model(const ModelConfig& config) {
  return std::make_unique<RegisterModel>(config, true);
}

}  // namespace faultline
