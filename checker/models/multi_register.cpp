// multi-register: several registers, each initially nil (or --initial), changed by
// transactions (Jepsen's `txn`).
//
//   txn [[f k v] ...]   micro-operations in order: ["read", k, v] saw v in register k;
//                       ["write", k, v] set register k to v. Reads whose value is nil in
//                       the invocation take it from the completion; reads of an unknown-
//                       outcome txn constrain nothing (a read-only unknown txn is dropped).
//                       A read still nil after that held nil, or with NilReads::kUnknown
//                       is unknown and constrains nothing.
//
// State: the interned vector of value ids, one per register named in the partition.

#include <memory>
#include <unordered_map>

#include "checker/history/interning.h"
#include "checker/lin/model.h"

namespace faultline {
namespace {

class MultiRegisterModel final : public PartitionModel {
 public:
  explicit MultiRegisterModel(const ModelConfig& config)
      : nil_unknown_(config.nil_reads == NilReads::kUnknown) {
    initial_value_ = values_.intern(config.initial.value_or(nullptr));
  }

  int add(const ModelInput& in) override {
    if (in.f != "txn") {
      throw ModelInputError("multi-register model: unknown operation '" + in.f +
                            "' (expected txn)");
    }
    const auto& invoked = micro_ops(in.invoke_value);
    const boost::json::array* completed = nullptr;
    if (in.known() && !in.result->is_null()) completed = &micro_ops(*in.result);
    Txn txn;
    bool writes = false;
    for (std::size_t i = 0; i < invoked.size(); ++i) {
      const auto* mop = invoked[i].if_array();
      if (mop == nullptr || mop->size() != 3 || !(*mop)[0].is_string()) {
        throw ModelInputError("multi-register model: micro-op needs [f k v], got " +
                              value_text(invoked[i]));
      }
      const auto& f = (*mop)[0].get_string();
      Micro m;
      m.reg = register_id((*mop)[1]);
      if (f == "write" || f == "w") {
        m.write = true;
        m.value = values_.intern((*mop)[2]);
        writes = true;
      } else if (f == "read" || f == "r") {
        if (!in.known()) continue;
        const boost::json::value* seen = &(*mop)[2];
        if (seen->is_null() && completed != nullptr && i < completed->size()) {
          const auto* done = (*completed)[i].if_array();
          if (done != nullptr && done->size() == 3) seen = &(*done)[2];
        }
        if (nil_unknown_ && seen->is_null()) continue;
        m.value = values_.intern(*seen);
      } else {
        throw ModelInputError("multi-register model: unknown micro-op '" + std::string(f) +
                              "' (expected read, write)");
      }
      txn.micro.push_back(m);
    }
    if (!in.known() && !writes) return kDrop;
    txns_.push_back(std::move(txn));
    return static_cast<int>(txns_.size() - 1);
  }

  std::uint64_t initial() override {
    return states_.intern(std::vector<std::int64_t>(registers_.size(), initial_value_));
  }

  void step(std::uint64_t state, int id, std::vector<std::uint64_t>& next) override {
    scratch_ = states_.words(state);
    for (const Micro& m : txns_[id].micro) {
      if (m.write) {
        scratch_[m.reg] = m.value;
      } else if (scratch_[m.reg] != m.value) {
        return;
      }
    }
    next.push_back(states_.intern(scratch_));
  }

  bool read_only(int id) const override {
    for (const Micro& m : txns_[id].micro) {
      if (m.write) return false;
    }
    return true;
  }

  std::string describe_state(std::uint64_t state) const override {
    const auto& words = states_.words(state);
    std::string out = "{";
    for (std::size_t r = 0; r < words.size(); ++r) {
      if (r) out += ", ";
      out += value_text(registers_[r]) + " " + values_.text(words[r]);
    }
    return out + "}";
  }
  std::string describe_op(int id) const override {
    std::string out = "txn [";
    bool first = true;
    for (const Micro& m : txns_[id].micro) {
      out += (first ? "[" : " [") + std::string(m.write ? "write " : "read ") +
             value_text(registers_[m.reg]) + " " + values_.text(m.value) + "]";
      first = false;
    }
    return out + "]";
  }
  std::string why_rejects(std::uint64_t state, int id) const override {
    auto words = states_.words(state);
    for (const Micro& m : txns_[id].micro) {
      if (m.write) {
        words[m.reg] = m.value;
      } else if (words[m.reg] != m.value) {
        return describe_op(id) + ": read " + value_text(registers_[m.reg]) + " " +
               values_.text(m.value) + ", but register " + value_text(registers_[m.reg]) +
               " holds " + values_.text(words[m.reg]);
      }
    }
    return "";
  }
  std::size_t memory_bytes() const override {
    return states_.memory_bytes() + values_.memory_bytes() + txns_.size() * 64;
  }

 private:
  struct Micro {
    bool write = false;
    std::size_t reg = 0;
    std::int64_t value = 0;
  };
  struct Txn {
    std::vector<Micro> micro;
  };

  static const boost::json::array& micro_ops(const boost::json::value& v) {
    if (const auto* array = v.if_array()) return *array;
    throw ModelInputError("multi-register model: txn needs an array of micro-ops, got " +
                          value_text(v));
  }
  std::size_t register_id(const boost::json::value& key) {
    auto [it, inserted] = register_ids_.try_emplace(boost::json::serialize(key), registers_.size());
    if (inserted) registers_.push_back(key);
    return it->second;
  }

  bool nil_unknown_;  // a nil read micro-op constrains nothing
  ValueInterner values_;
  StateInterner states_;
  std::int64_t initial_value_ = 0;
  std::unordered_map<std::string, std::size_t> register_ids_;
  std::vector<boost::json::value> registers_;
  std::vector<Txn> txns_;
  std::vector<std::int64_t> scratch_;
};

}  // namespace

std::unique_ptr<PartitionModel> make_multi_register_model(const ModelConfig& config) {
  return std::make_unique<MultiRegisterModel>(config);
}

}  // namespace faultline
