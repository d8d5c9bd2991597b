#pragma once
// KeyedModel: a map from keys to instances of one model, for checking a keyed history
// as a whole (--no-partition). Each operation acts on its key's instance; the state is
// the interned vector of per-key states.

#include <string>
#include <unordered_map>
#include <vector>

#include "checker/history/interning.h"
#include "checker/lin/model.h"

namespace faultline {

class KeyedModel final : public PartitionModel {
 public:
  KeyedModel(ModelFactory factory, const ModelConfig& config)
      : factory_(factory), config_(config) {}

  // add() for an operation on `key` (nullptr: the unkeyed instance).
  int add_keyed(const boost::json::value* key, const ModelInput& op);
  int add(const ModelInput& op) override { return add_keyed(nullptr, op); }
  void find_unobservable(std::vector<char>& droppable) const override;
  std::uint64_t initial() override;
  void step(std::uint64_t state, int op, std::vector<std::uint64_t>& next) override;
  bool read_only(int op) const override {
    return instances_[ops_[op].instance].model->read_only(ops_[op].inner);
  }
  // Blind on its own key: KeyedModel reports it through object_of (see search.h).
  bool blind(int op) const override {
    return instances_[ops_[op].instance].model->blind(ops_[op].inner);
  }
  std::size_t object_of(int op) const override { return ops_[op].instance; }
  bool prunes() const override { return !instances_.empty() && instances_.front().model->prunes(); }
  bool resets(int op) const override {
    return instances_[ops_[op].instance].model->resets(ops_[op].inner);
  }
  bool may_reach_after(int reset, int op) const override {
    return ops_[reset].instance != ops_[op].instance ||
           instances_[ops_[op].instance].model->may_reach_after(ops_[reset].inner, ops_[op].inner);
  }
  std::uint64_t forget(std::uint64_t state, std::size_t object) override;
  bool may_reach(std::uint64_t state, int op) const override {
    const Op& o = ops_[op];
    return instances_[o.instance].model->may_reach(states_.words(state)[o.instance], o.inner);
  }
  std::string describe_state(std::uint64_t state) const override;
  std::string describe_op(int op) const override;
  std::string why_rejects(std::uint64_t state, int op) const override;
  std::size_t memory_bytes() const override;

 private:
  struct Instance {
    boost::json::value key;
    std::unique_ptr<PartitionModel> model;
    std::vector<int> ops;  // our op ids, by the instance's op id
  };
  struct Op {
    std::size_t instance;
    int inner;
  };
  std::string prefix(std::size_t instance) const;

  ModelFactory factory_;
  ModelConfig config_;
  std::unordered_map<std::string, std::size_t> instance_ids_;
  std::vector<Instance> instances_;
  std::vector<Op> ops_;
  StateInterner states_;
  std::vector<std::int64_t> scratch_;
  std::vector<std::uint64_t> inner_next_;
};

}  // namespace faultline
