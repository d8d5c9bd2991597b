// set: a set of values, initially empty (or --initial, an array).
//
//   add v        adds v
//   read         ok value [e...]: the set held exactly these elements; unknown: dropped.
//                A read listing one element twice ([100 100 110]) is a duplicate-elements
//                anomaly: a set holds each element once, so no state accepts that read
//                (as in Knossos' and Porcupine's set models).
//
// State: the interned sorted vector of element ids.

#include <algorithm>
#include <memory>
#include <optional>
#include <unordered_set>

#include "checker/history/interning.h"
#include "checker/lin/model.h"

namespace faultline {
namespace {

class SetModel final : public PartitionModel {
 public:
  explicit SetModel(const ModelConfig& config) {
    std::vector<std::int64_t> init;
    if (config.initial && !config.initial->is_null()) init = elements(*config.initial, "--initial");
    initial_ = states_.intern(init);
  }

  int add(const ModelInput& in) override {
    Op op;
    if (in.f == "add") {
      op.add = true;
      op.element = values_.intern(in.invoke_value);
    } else if (in.f == "read") {
      if (!in.known()) return kDrop;
      std::vector<std::int64_t> read = elements(*in.result, "read", &op.duplicate);
      op.read = states_.intern(read);
    } else {
      throw ModelInputError("set model: unknown operation '" + in.f + "' (expected add, read)");
    }
    op.known = in.known();
    ops_.push_back(op);
    return static_cast<int>(ops_.size() - 1);
  }

  // An unknown add of an element no read ever shows cannot precede any read.
  void find_unobservable(std::vector<char>& droppable) const override {
    std::unordered_set<std::int64_t> seen;
    for (const Op& op : ops_) {
      if (!op.add) {
        for (std::int64_t e : states_.words(op.read)) seen.insert(e);
      }
    }
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      if (ops_[i].add && !ops_[i].known && !seen.count(ops_[i].element)) droppable[i] = 1;
    }
  }

  std::uint64_t initial() override { return initial_; }

  void step(std::uint64_t state, int id, std::vector<std::uint64_t>& next) override {
    const Op& op = ops_[id];
    if (!op.add) {
      if (state == op.read && !op.duplicate) next.push_back(state);
      return;
    }
    const auto& words = states_.words(state);
    auto at = std::lower_bound(words.begin(), words.end(), op.element);
    if (at != words.end() && *at == op.element) {
      next.push_back(state);
      return;
    }
    scratch_.assign(words.begin(), words.end());
    scratch_.insert(scratch_.begin() + (at - words.begin()), op.element);
    next.push_back(states_.intern(scratch_));
  }

  bool read_only(int id) const override { return !ops_[id].add; }
  // Sets only grow: a read of r is reachable only from subsets of r.
  bool prunes() const override { return true; }
  bool resets(int) const override { return false; }
  bool may_reach(std::uint64_t state, int id) const override {
    if (ops_[id].add) return true;
    // A duplicate read accepts no state, yet pruning it here would make the first add
    // the culprit: let the search reach the read, whose why_rejects names the duplicate.
    if (ops_[id].duplicate) return true;
    const auto& have = states_.words(state);
    const auto& read = states_.words(ops_[id].read);
    return std::includes(read.begin(), read.end(), have.begin(), have.end());
  }

  std::string describe_state(std::uint64_t state) const override {
    return text(states_.words(state));
  }
  std::string describe_op(int id) const override {
    const Op& op = ops_[id];
    if (op.add) return "add " + values_.text(op.element);
    if (op.duplicate) return "read " + text(states_.words(op.read), op.duplicate);
    return "read " + text(states_.words(op.read));
  }
  std::string why_rejects(std::uint64_t state, int id) const override {
    const Op& op = ops_[id];
    if (!op.add && op.duplicate) {
      return describe_op(id) + ", which lists " + values_.text(*op.duplicate) +
             " twice: a set holds each element once (duplicate elements)";
    }
    if (op.add || state == op.read) return "";
    return describe_op(id) + ", but the set holds " + describe_state(state);
  }
  std::size_t memory_bytes() const override {
    return states_.memory_bytes() + values_.memory_bytes() + ops_.capacity() * sizeof(Op);
  }

 private:
  struct Op {
    bool add = false;
    bool known = true;
    std::int64_t element = 0;               // add
    std::uint64_t read = 0;                 // read: state id of the set read (repeats removed)
    std::optional<std::int64_t> duplicate;  // read: an element it listed twice
  };

  // Sorted element ids without repeats; `duplicate` (if given) gets an element listed twice.
  std::vector<std::int64_t> elements(const boost::json::value& v, const char* what,
                                     std::optional<std::int64_t>* duplicate = nullptr) {
    std::vector<std::int64_t> out;
    if (!v.is_null()) {
      const auto* array = v.if_array();
      if (array == nullptr) {
        throw ModelInputError(std::string("set model: ") + what +
                              " needs an array of elements, got " + value_text(v));
      }
      for (const auto& e : *array) out.push_back(values_.intern(e));
    }
    std::sort(out.begin(), out.end());
    auto repeat = std::adjacent_find(out.begin(), out.end());
    if (duplicate != nullptr && repeat != out.end()) *duplicate = *repeat;
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  // `#{1 2}`; with `repeated`, that element is shown twice, as the read listed it.
  std::string text(const std::vector<std::int64_t>& elements,
                   std::optional<std::int64_t> repeated = std::nullopt) const {
    std::string out = "#{";
    for (std::size_t i = 0; i < elements.size(); ++i) {
      if (i) out += ' ';
      out += values_.text(elements[i]);
      if (repeated && elements[i] == *repeated) out += ' ' + values_.text(elements[i]);
    }
    return out + "}";
  }

  ValueInterner values_;
  StateInterner states_;
  std::uint64_t initial_ = 0;
  std::vector<Op> ops_;
  std::vector<std::int64_t> scratch_;
};

}  // namespace

std::unique_ptr<PartitionModel> make_set_model(const ModelConfig& config) {
  return std::make_unique<SetModel>(config);
}

}  // namespace faultline
