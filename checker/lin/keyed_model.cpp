#include "checker/lin/keyed_model.h"

namespace faultline {

int KeyedModel::add_keyed(const boost::json::value* key, const ModelInput& op) {
  const boost::json::value k = key ? *key : boost::json::value(nullptr);
  auto [it, inserted] = instance_ids_.try_emplace(boost::json::serialize(k), instances_.size());
  if (inserted) instances_.push_back({k, factory_(config_), {}});
  Instance& instance = instances_[it->second];
  const int inner = instance.model->add(op);
  if (inner == kDrop) return kDrop;
  if (static_cast<std::size_t>(inner) >= instance.ops.size()) instance.ops.resize(inner + 1, -1);
  instance.ops[inner] = static_cast<int>(ops_.size());
  ops_.push_back({it->second, inner});
  return static_cast<int>(ops_.size() - 1);
}

void KeyedModel::find_unobservable(std::vector<char>& droppable) const {
  for (const Instance& instance : instances_) {
    std::vector<char> inner(instance.ops.size(), 0);
    instance.model->find_unobservable(inner);
    for (std::size_t i = 0; i < inner.size(); ++i) {
      if (inner[i] && instance.ops[i] >= 0) droppable[instance.ops[i]] = 1;
    }
  }
}

std::uint64_t KeyedModel::initial() {
  std::vector<std::int64_t> words;
  for (Instance& instance : instances_)
    words.push_back(static_cast<std::int64_t>(instance.model->initial()));
  return states_.intern(words);
}

void KeyedModel::step(std::uint64_t state, int op, std::vector<std::uint64_t>& next) {
  const Op& o = ops_[op];
  inner_next_.clear();
  instances_[o.instance].model->step(states_.words(state)[o.instance], o.inner, inner_next_);
  for (std::uint64_t to : inner_next_) {
    scratch_ = states_.words(state);
    scratch_[o.instance] = static_cast<std::int64_t>(to);
    next.push_back(states_.intern(scratch_));
  }
}

std::uint64_t KeyedModel::forget(std::uint64_t state, std::size_t object) {
  scratch_ = states_.words(state);
  scratch_[object] =
      static_cast<std::int64_t>(instances_[object].model->forget(scratch_[object], 0));
  return states_.intern(scratch_);
}

std::string KeyedModel::prefix(std::size_t instance) const {
  const auto& key = instances_[instance].key;
  return key.is_null() ? std::string() : "key " + value_text(key) + ": ";
}

std::string KeyedModel::describe_state(std::uint64_t state) const {
  const auto& words = states_.words(state);
  std::string out = "{";
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i == 8) {
      out += ", ... (" + std::to_string(words.size()) + " keys)";
      break;
    }
    out += (i ? ", " : "") + value_text(instances_[i].key) + " " +
           instances_[i].model->describe_state(words[i]);
  }
  return out + "}";
}

std::string KeyedModel::describe_op(int op) const {
  const Op& o = ops_[op];
  return prefix(o.instance) + instances_[o.instance].model->describe_op(o.inner);
}

std::string KeyedModel::why_rejects(std::uint64_t state, int op) const {
  const Op& o = ops_[op];
  std::string why =
      instances_[o.instance].model->why_rejects(states_.words(state)[o.instance], o.inner);
  return why.empty() ? why : prefix(o.instance) + why;
}

std::size_t KeyedModel::memory_bytes() const {
  std::size_t bytes = states_.memory_bytes() + ops_.capacity() * sizeof(Op);
  for (const Instance& instance : instances_) bytes += instance.model->memory_bytes() + 128;
  return bytes;
}

}  // namespace faultline
