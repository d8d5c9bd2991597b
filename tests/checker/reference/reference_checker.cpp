#include "tests/checker/reference/reference_checker.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace faultline::reference {
namespace json = boost::json;
namespace {

constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();

// One client operation after pairing. `fail` operations are dropped before this.
struct RefOp {
  std::size_t invoke_pos = 0;
  std::size_t complete_pos = kNever;  // kNever: unknown outcome (info or never completed)
  bool known = false;                 // completed `ok`: its output is known
  std::string f;
  json::value input;   // the invocation's value
  json::value output;  // the completion's value (meaningful when known)
  std::string key;     // serialized `key`, "" when absent
};

std::vector<RefOp> pair_for_reference(const History& history) {
  std::vector<RefOp> ops;
  std::vector<bool> dropped;
  std::unordered_map<std::int64_t, std::size_t> pending;  // process -> index in ops
  for (std::size_t pos = 0; pos < history.ops.size(); ++pos) {
    const Operation& op = history.ops[pos];
    if (op.is_nemesis()) continue;
    if (op.is_invoke()) {
      if (pending.count(op.process) != 0) {
        throw std::invalid_argument("process " + std::to_string(op.process) +
                                    " invokes twice without completing");
      }
      RefOp ref;
      ref.invoke_pos = pos;
      ref.f = op.f;
      ref.input = op.value;
      if (op.key) ref.key = json::serialize(*op.key);
      pending[op.process] = ops.size();
      ops.push_back(std::move(ref));
      dropped.push_back(false);
      continue;
    }
    auto it = pending.find(op.process);
    if (it == pending.end()) {
      throw std::invalid_argument("process " + std::to_string(op.process) +
                                  " completes without an invocation");
    }
    RefOp& ref = ops[it->second];
    if (op.type == OpType::kOk) {
      ref.known = true;
      ref.complete_pos = pos;
      ref.output = op.value;
    } else if (op.type == OpType::kFail) {
      dropped[it->second] = true;
    }  // kInfo: stays unknown, may take effect any time after its invocation
    pending.erase(it);
  }
  std::vector<RefOp> kept;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (!dropped[i]) kept.push_back(std::move(ops[i]));
  }
  return kept;
}

// ---- the models: state of one object -> every state after the operation -----------
// A model returns no state when the operation cannot take effect in `state`, and
// several when an unknown output leaves the effect open (unordered-queue dequeue).

using States = std::vector<json::value>;

[[noreturn]] void unknown_f(std::string_view model, const RefOp& op) {
  throw std::invalid_argument(std::string(model) + " has no operation '" + op.f + "'");
}

States keep_if(bool ok, const json::value& state) {
  if (ok) return {state};
  return {};
}

States step_register(const json::value& state, const RefOp& op, bool with_cas) {
  if (op.f == "read") return keep_if(!op.known || state == op.output, state);
  if (op.f == "write") return {op.input};
  if (with_cas && op.f == "cas") {
    const json::array* pair = op.input.if_array();
    if (pair == nullptr || pair->size() != 2) {
      throw std::invalid_argument("cas value must be [old new]");
    }
    if (state == (*pair)[0]) return {(*pair)[1]};
    return {};  // a failed compare never took effect
  }
  unknown_f(with_cas ? "cas-register" : "register", op);
}

States step_mutex(const json::value& state, const RefOp& op) {
  bool held = state.as_bool();
  if (op.f == "acquire") return held ? States{} : States{json::value(true)};
  if (op.f == "release") return held ? States{json::value(false)} : States{};
  unknown_f("mutex", op);
}

// Sets and unordered queues are arrays sorted by serialization (a canonical form).
json::array sorted(json::array items) {
  std::sort(items.begin(), items.end(), [](const json::value& a, const json::value& b) {
    return json::serialize(a) < json::serialize(b);
  });
  return items;
}

States step_set(const json::value& state, const RefOp& op) {
  const json::array& items = state.as_array();
  if (op.f == "add") {
    if (std::find(items.begin(), items.end(), op.input) != items.end()) return {state};
    json::array next = items;
    next.push_back(op.input);
    return {sorted(std::move(next))};
  }
  if (op.f == "read") {
    if (!op.known) return {state};
    const json::array* seen = op.output.if_array();
    return keep_if(seen != nullptr && sorted(*seen) == items, state);
  }
  unknown_f("set", op);
}

States step_fifo(const json::value& state, const RefOp& op) {
  const json::array& items = state.as_array();
  if (op.f == "enqueue") {
    json::array next = items;
    next.push_back(op.input);
    return {std::move(next)};
  }
  if (op.f == "dequeue") {
    if (op.known && op.output.is_null()) return keep_if(items.empty(), state);
    if (items.empty()) return op.known ? States{} : States{state};
    if (op.known && items.front() != op.output) return {};
    return {json::array(items.begin() + 1, items.end())};
  }
  unknown_f("fifo-queue", op);
}

States step_unordered(const json::value& state, const RefOp& op) {
  const json::array& items = state.as_array();
  if (op.f == "enqueue") {
    json::array next = items;
    next.push_back(op.input);
    return {sorted(std::move(next))};
  }
  if (op.f == "dequeue") {
    if (op.known && op.output.is_null()) return keep_if(items.empty(), state);
    if (items.empty()) return op.known ? States{} : States{state};
    States out;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (op.known && items[i] != op.output) continue;
      if (i > 0 && items[i] == items[i - 1]) continue;  // same multiset either way
      json::array next = items;
      next.erase(next.begin() + static_cast<std::ptrdiff_t>(i));
      out.push_back(std::move(next));
    }
    return out;
  }
  unknown_f("unordered-queue", op);
}

States step_kv(const json::value& state, const RefOp& op) {
  if (op.f == "get") return keep_if(!op.known || state == op.output, state);
  if (op.f == "put") return {op.input};
  if (op.f == "append") {
    if (!state.is_string() || !op.input.is_string()) {
      throw std::invalid_argument("kv append needs string values");
    }
    std::string next(state.get_string());
    next += op.input.get_string();
    return {json::value(next)};
  }
  unknown_f("kv", op);
}

States step_multi_register(const json::value& state, const RefOp& op, const json::value& initial) {
  if (op.f != "txn") unknown_f("multi-register", op);
  const json::value& micro = op.known ? op.output : op.input;
  if (!micro.is_array()) throw std::invalid_argument("txn value must be a list of micro-ops");
  json::object regs = state.as_object();
  for (const json::value& m : micro.get_array()) {
    const json::array* parts = m.if_array();
    if (parts == nullptr || parts->size() != 3 || !(*parts)[0].is_string()) {
      throw std::invalid_argument("txn micro-op must be [f k v]");
    }
    std::string name = json::serialize((*parts)[1]);
    const json::value* current = regs.if_contains(name);
    const json::value& now = current != nullptr ? *current : initial;
    std::string_view f = (*parts)[0].get_string();
    if (f == "read") {
      if (op.known && now != (*parts)[2]) return {};
    } else if (f == "write") {
      regs[name] = (*parts)[2];
    } else {
      throw std::invalid_argument("txn micro-op must be read or write");
    }
  }
  return {json::value(std::move(regs))};
}

// The product of one object per key: missing keys hold the initial state.
using World = std::map<std::string, json::value>;

std::string encode(const World& world) {
  std::string out;
  for (const auto& [key, state] : world) {
    out += key;
    out += '\x1f';
    out += json::serialize(state);
    out += '\x1e';
  }
  return out;
}

class Search {
 public:
  Search(std::string_view model, const ReferenceOptions& options, std::vector<RefOp> ops)
      : model_(model), ops_(std::move(ops)) {
    if (ops_.size() > 63) throw std::invalid_argument("reference checker: too many operations");
    register_initial_ = options.initial ? *options.initial : json::value(nullptr);
    if (model_ == "register" || model_ == "cas-register") {
      initial_ = register_initial_;
    } else if (model_ == "kv") {
      initial_ = options.initial ? *options.initial : json::value("");
      register_initial_ = initial_;
    } else if (model_ == "mutex") {
      initial_ = false;
    } else if (model_ == "set" || model_ == "fifo-queue" || model_ == "unordered-queue") {
      initial_ = json::array();
    } else if (model_ == "multi-register") {
      initial_ = json::object();
    } else {
      throw std::invalid_argument("unknown model '" + std::string(model_) + "'");
    }
    preds_.assign(ops_.size(), 0);
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      if (ops_[i].known) must_ |= bit(i);
      for (std::size_t j = 0; j < ops_.size(); ++j) {
        if (ops_[j].known && ops_[j].complete_pos < ops_[i].invoke_pos) preds_[i] |= bit(j);
      }
    }
  }

  ReferenceResult run(bool memoize) {
    memoize_ = memoize;
    ReferenceResult result;
    result.linearizable = visit(0, World{});
    result.nodes = nodes_;
    return result;
  }

 private:
  static std::uint64_t bit(std::size_t i) { return std::uint64_t{1} << i; }

  States step(const json::value& state, const RefOp& op) const {
    if (model_ == "register") return step_register(state, op, false);
    if (model_ == "cas-register") return step_register(state, op, true);
    if (model_ == "mutex") return step_mutex(state, op);
    if (model_ == "set") return step_set(state, op);
    if (model_ == "fifo-queue") return step_fifo(state, op);
    if (model_ == "unordered-queue") return step_unordered(state, op);
    if (model_ == "kv") return step_kv(state, op);
    return step_multi_register(state, op, register_initial_);
  }

  // True iff the operations outside `done` can be linearized from `world` (every
  // known one, any subset of the unknown ones), respecting real-time order.
  bool visit(std::uint64_t done, const World& world) {
    ++nodes_;
    if ((done & must_) == must_) return true;  // the remaining unknown ones never happened
    std::string memo_key;
    if (memoize_) {
      memo_key = std::to_string(done) + '|' + encode(world);
      if (dead_.count(memo_key) != 0) return false;
    }
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      if ((done & bit(i)) != 0) continue;
      if ((preds_[i] & ~done) != 0) continue;  // some op that must precede it is not done
      const RefOp& op = ops_[i];
      auto it = world.find(op.key);
      const json::value& state = it != world.end() ? it->second : initial_;
      for (json::value& next : step(state, op)) {
        World after = world;
        after[op.key] = std::move(next);
        if (visit(done | bit(i), after)) return true;
      }
    }
    if (memoize_) dead_.insert(std::move(memo_key));
    return false;
  }

  std::string model_;
  std::vector<RefOp> ops_;
  json::value initial_;               // initial state of one object of the model
  json::value register_initial_;      // initial value of one register inside multi-register
  std::vector<std::uint64_t> preds_;  // ops that must precede op i (known, completed before)
  std::uint64_t must_ = 0;            // the known ops: all must be linearized
  bool memoize_ = true;
  std::unordered_set<std::string> dead_;
  std::size_t nodes_ = 0;
};

}  // namespace

bool is_reference_model(std::string_view model) {
  return model == "register" || model == "cas-register" || model == "mutex" || model == "set" ||
         model == "fifo-queue" || model == "unordered-queue" || model == "kv" ||
         model == "multi-register";
}

ReferenceResult reference_check(const History& history, std::string_view model,
                                const ReferenceOptions& options) {
  Search search(model, options, pair_for_reference(history));
  return search.run(options.memoize);
}

}  // namespace faultline::reference
