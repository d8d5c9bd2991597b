// kv: one key's string register (Porcupine's kv histories), initially "" (or --initial).
// The engine splits keys apart, or combines them (--no-partition); this model sees one.
//
//   get          ok value s: the string was s (null reads as "", or with NilReads::kUnknown
//                as an unknown value: dropped); unknown outcome: dropped
//   put s        sets the string to s
//   append s     appends s
//
// State: the id of the string held (strings interned as they are built), or kForgotten
// once the search knows no get will see the string before the next put.

#include <memory>
#include <unordered_map>

#include "checker/lin/model.h"

namespace faultline {
namespace {

class KvModel final : public PartitionModel {
 public:
  explicit KvModel(const ModelConfig& config)
      : nil_unknown_(config.nil_reads == NilReads::kUnknown) {
    initial_ = intern(config.initial ? as_string(*config.initial, "--initial") : std::string());
  }

  int add(const ModelInput& in) override {
    Op op;
    if (in.f == "get" || in.f == "read") {
      if (!in.known() || (nil_unknown_ && in.result->is_null())) return kDrop;
      op.kind = Kind::kGet;
      op.arg = in.result->is_null() ? std::string() : as_string(*in.result, "get");
      op.arg_id = intern(op.arg);
    } else if (in.f == "put" || in.f == "write") {
      op.kind = Kind::kPut;
      op.arg = as_string(in.invoke_value, "put");
      op.arg_id = intern(op.arg);
    } else if (in.f == "append") {
      op.kind = Kind::kAppend;
      op.arg = as_string(in.invoke_value, "append");
    } else {
      throw ModelInputError("kv model: unknown operation '" + in.f +
                            "' (expected get, put, append)");
    }
    ops_.push_back(std::move(op));
    return static_cast<int>(ops_.size() - 1);
  }

  std::uint64_t initial() override { return initial_; }

  // kForgotten: a string no pending get will see before the next put.
  std::uint64_t forget(std::uint64_t, std::size_t) override { return kForgotten; }

  void step(std::uint64_t state, int id, std::vector<std::uint64_t>& next) override {
    const Op& op = ops_[id];
    if (state == kForgotten) {
      if (op.kind == Kind::kAppend) next.push_back(state);
      if (op.kind == Kind::kPut) next.push_back(op.arg_id);
      return;
    }
    switch (op.kind) {
      case Kind::kGet:
        if (state == op.arg_id) next.push_back(state);
        return;
      case Kind::kPut:
        next.push_back(op.arg_id);
        return;
      case Kind::kAppend: {
        auto [it, inserted] =
            appended_.try_emplace(state * 0x100000001ULL ^ (std::uint64_t(id) << 40) ^ id, 0);
        // The memo key is only a hint; verify it maps this exact (state, op).
        if (inserted || memo_[it->second].state != state || memo_[it->second].op != id) {
          std::uint64_t to = intern(strings_[state] + op.arg);
          it->second = memo_.size();
          memo_.push_back({state, id, to});
        }
        next.push_back(memo_[it->second].to);
        return;
      }
    }
  }

  bool read_only(int id) const override { return ops_[id].kind == Kind::kGet; }
  bool blind(int id) const override { return ops_[id].kind == Kind::kPut; }
  // Between puts the string only grows: a get of g is reachable only from prefixes of g.
  bool prunes() const override { return true; }
  bool resets(int id) const override { return ops_[id].kind == Kind::kPut; }
  bool may_reach_after(int put, int id) const override {
    const Op& op = ops_[id];
    return op.kind != Kind::kGet || op.arg.compare(0, ops_[put].arg.size(), ops_[put].arg) == 0;
  }
  bool may_reach(std::uint64_t state, int id) const override {
    const Op& op = ops_[id];
    if (state == kForgotten) return op.kind != Kind::kGet;
    return op.kind != Kind::kGet || op.arg.compare(0, strings_[state].size(), strings_[state]) == 0;
  }

  std::string describe_state(std::uint64_t state) const override {
    return state == kForgotten ? "(a string no get sees before the next put)"
                               : quote(strings_[state]);
  }
  std::string describe_op(int id) const override {
    const Op& op = ops_[id];
    switch (op.kind) {
      case Kind::kGet:
        return "get " + quote(op.arg);
      case Kind::kPut:
        return "put " + quote(op.arg);
      case Kind::kAppend:
        return "append " + quote(op.arg);
    }
    return "?";
  }
  std::string why_rejects(std::uint64_t state, int id) const override {
    const Op& op = ops_[id];
    if (op.kind != Kind::kGet || state == op.arg_id) return "";
    return describe_op(id) + ", but the key holds " + describe_state(state);
  }
  std::size_t memory_bytes() const override { return bytes_ + memo_.size() * 48; }

 private:
  enum class Kind : std::uint8_t { kGet, kPut, kAppend };
  struct Op {
    Kind kind = Kind::kGet;
    std::string arg;
    std::uint64_t arg_id = 0;
  };
  static constexpr std::uint64_t kForgotten = ~std::uint64_t{0};
  struct Memo {
    std::uint64_t state;
    int op;
    std::uint64_t to;
  };

  static std::string as_string(const boost::json::value& v, const char* what) {
    if (const auto* s = v.if_string()) return std::string(*s);
    throw ModelInputError(std::string("kv model: ") + what + " needs a string, got " +
                          value_text(v));
  }
  static std::string quote(const std::string& s) { return value_text(boost::json::string(s)); }

  std::uint64_t intern(const std::string& s) {
    auto [it, inserted] = ids_.try_emplace(s, strings_.size());
    if (inserted) {
      strings_.push_back(s);
      bytes_ += 2 * s.size() + 96;
    }
    return it->second;
  }

  bool nil_unknown_;  // a nil get matches any string (dropped)
  std::unordered_map<std::string, std::uint64_t> ids_;
  std::vector<std::string> strings_;
  std::unordered_map<std::uint64_t, std::size_t> appended_;
  std::vector<Memo> memo_;
  std::size_t bytes_ = 0;
  std::uint64_t initial_ = 0;
  std::vector<Op> ops_;
};

}  // namespace

std::unique_ptr<PartitionModel> make_kv_model(const ModelConfig& config) {
  return std::make_unique<KvModel>(config);
}

}  // namespace faultline
