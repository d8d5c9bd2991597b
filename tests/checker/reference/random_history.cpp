#include "tests/checker/reference/random_history.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <vector>

namespace faultline::reference {
namespace json = boost::json;
namespace {

bool chance(std::mt19937_64& rng, double p) {
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng) < p;
}

std::size_t pick(std::mt19937_64& rng, std::size_t n) {
  return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
}

// An operation between its invocation and its completion (or its crash).
struct Pending {
  std::int64_t process = 0;
  std::string f;
  json::value input;
  std::optional<json::value> key;
  bool applied = false;
  bool ok = false;     // set when applied: the object accepted it
  json::value output;  // set when applied: what the completion reports
};

class Simulation {
 public:
  Simulation(const RandomHistoryOptions& options, std::mt19937_64& rng) : o_(options), rng_(rng) {}

  History run() {
    std::vector<std::optional<Pending>> slots(o_.processes);
    std::vector<std::int64_t> ids(o_.processes);
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::int64_t>(i);
    std::int64_t next_id = static_cast<std::int64_t>(o_.processes);
    std::vector<Pending> ghosts;  // crashed before taking effect; may still take effect
    std::size_t invoked = 0;
    enum Kind { kInvoke, kStep, kGhost };
    while (true) {
      std::vector<std::pair<Kind, std::size_t>> actions;
      for (std::size_t s = 0; s < slots.size(); ++s) {
        if (!slots[s] && invoked < o_.ops) actions.emplace_back(kInvoke, s);
        if (slots[s]) actions.emplace_back(kStep, s);
      }
      for (std::size_t g = 0; g < ghosts.size(); ++g) actions.emplace_back(kGhost, g);
      if (actions.empty() || (invoked == o_.ops && std::none_of(slots.begin(), slots.end(),
                                                                [](auto& s) { return s; }))) {
        break;  // ghosts left over never take effect
      }
      auto [kind, i] = actions[pick(rng_, actions.size())];
      if (kind == kInvoke) {
        slots[i] = invoke(ids[i]);
        ++invoked;
      } else if (kind == kGhost) {
        if (blocked(ghosts[i])) continue;
        apply(ghosts[i]);
        ghosts.erase(ghosts.begin() + static_cast<std::ptrdiff_t>(i));
      } else if (chance(rng_, blocked(*slots[i]) ? o_.crash / 4 : o_.crash)) {
        // Crash: `info`, or no completion at all; the process never comes back.
        Pending& p = *slots[i];
        if (chance(rng_, 0.7)) emit(OpType::kInfo, p, p.input);
        if (!p.applied) ghosts.push_back(std::move(p));
        slots[i].reset();
        ids[i] = next_id++;
      } else if (!slots[i]->applied) {
        if (!blocked(*slots[i])) apply(*slots[i]);
      } else {
        Pending& p = *slots[i];
        emit(p.ok ? OpType::kOk : OpType::kFail, p, p.ok ? p.output : p.input);
        slots[i].reset();
      }
    }
    for (std::size_t i = 0; i < history_.ops.size(); ++i) {
      history_.ops[i].index = static_cast<std::int64_t>(i);
      history_.ops[i].line = i + 1;
    }
    return std::move(history_);
  }

 private:
  // A value to write: a fresh one when distinct, else one of 1..values.
  json::value value() {
    if (o_.distinct) return json::value(++written_);
    return json::value(static_cast<std::int64_t>(1 + pick(rng_, o_.values)));
  }
  // The value a cas compares with: with distinct values, half the time what the
  // register holds now (else the cas would nearly always fail).
  json::value compare_value(const Pending& p) {
    if (!o_.distinct) return value();
    if (chance(rng_, 0.5)) return object(p);
    return json::value(static_cast<std::int64_t>(1 + pick(rng_, written_ + 1)));
  }

  void emit(OpType type, const Pending& p, const json::value& value) {
    Operation op;
    op.type = type;
    op.process = p.process;
    op.f = p.f;
    op.key = p.key;
    op.value = value;
    history_.ops.push_back(std::move(op));
  }

  Pending invoke(std::int64_t process) {
    Pending p;
    p.process = process;
    const std::string& m = o_.model;
    std::size_t r = pick(rng_, 100);
    if (m == "kv") {
      std::string name = "k";  // (not "k" + ...: GCC 12 warns falsely, -Wrestrict)
      name += std::to_string(pick(rng_, o_.keys));
      p.key = json::value(name);
    } else if (o_.keys > 1) {
      p.key = json::value(static_cast<std::int64_t>(pick(rng_, o_.keys)));
    }
    if (m == "register") {
      p.f = r < 50 ? "read" : "write";
    } else if (m == "cas-register") {
      p.f = r < 40 ? "read" : r < 70 ? "write" : "cas";
    } else if (m == "mutex") {
      // Mostly what a client would do: release a held lock, acquire a free one.
      p.f = (r < 75) == object(p).as_bool() ? "release" : "acquire";
    } else if (m == "set") {
      p.f = r < 60 ? "add" : "read";
    } else if (m == "fifo-queue" || m == "unordered-queue") {
      p.f = r < 55 ? "enqueue" : "dequeue";
    } else if (m == "kv") {
      p.f = r < 40 ? "get" : r < 70 ? "put" : "append";
    } else if (m == "multi-register") {
      p.f = "txn";
    } else {
      throw std::invalid_argument("random_history: unknown model " + m);
    }
    if (p.f == "write" || p.f == "add" || p.f == "enqueue") p.input = value();
    if (p.f == "cas") p.input = json::array{compare_value(p), value()};
    if (p.f == "put") p.input = r % 2 == 0 ? "a" : "b";
    if (p.f == "append") p.input = r % 2 == 0 ? "x" : "y";
    if (p.f == "txn") {
      json::array micro;
      std::size_t n = 1 + pick(rng_, 3);
      for (std::size_t k = 0; k < n; ++k) {
        json::value reg = static_cast<std::int64_t>(pick(rng_, 2));
        if (chance(rng_, 0.5)) {
          micro.push_back(json::array{"read", reg, nullptr});
        } else {
          micro.push_back(json::array{"write", reg, value()});
        }
      }
      p.input = std::move(micro);
    }
    emit(OpType::kInvoke, p, p.input);
    return p;
  }

  json::value& object(const Pending& p) {
    std::string name = p.key ? json::serialize(*p.key) : "";
    auto it = objects_.find(name);
    if (it != objects_.end()) return it->second;
    const std::string& m = o_.model;
    json::value initial = o_.initial ? *o_.initial : json::value(nullptr);
    if (m == "kv" && !o_.initial) initial = "";
    if (m == "mutex") initial = false;
    if (m == "set" || m == "fifo-queue" || m == "unordered-queue") initial = json::array();
    if (m == "multi-register") initial = json::object();
    return objects_.emplace(name, std::move(initial)).first->second;
  }

  // A mutex acquire waits while the lock is held (it may crash while waiting).
  bool blocked(const Pending& p) { return p.f == "acquire" && object(p).as_bool(); }

  // The true sequential object: takes the effect of `p` now.
  void apply(Pending& p) {
    json::value& state = object(p);
    p.applied = true;
    p.ok = true;
    p.output = p.input;
    const std::string& f = p.f;
    if (f == "read" && o_.model != "set") {
      p.output = state;
    } else if (f == "write" || f == "put") {
      state = p.input;
    } else if (f == "cas") {
      p.ok = state == p.input.as_array()[0];
      if (p.ok) state = p.input.as_array()[1];
    } else if (f == "acquire" || f == "release") {
      p.ok = state.as_bool() == (f == "release");
      if (p.ok) state = f == "acquire";
    } else if (f == "add") {
      json::array& items = state.as_array();
      if (std::find(items.begin(), items.end(), p.input) == items.end()) items.push_back(p.input);
    } else if (f == "read") {  // set: the whole set, in a random order
      json::array items = state.as_array();
      std::shuffle(items.begin(), items.end(), rng_);
      p.output = std::move(items);
    } else if (f == "enqueue") {
      state.as_array().push_back(p.input);
    } else if (f == "dequeue") {
      json::array& items = state.as_array();
      p.output = nullptr;
      if (!items.empty()) {
        std::size_t at = o_.model == "fifo-queue" ? 0 : pick(rng_, items.size());
        p.output = items[at];
        items.erase(items.begin() + static_cast<std::ptrdiff_t>(at));
      }
    } else if (f == "get") {
      p.output = state;
    } else if (f == "append") {
      state = std::string(state.as_string()) + std::string(p.input.as_string());
    } else if (f == "txn") {
      json::object& regs = state.as_object();
      json::array out;
      for (const json::value& m : p.input.as_array()) {
        json::array micro = m.as_array();
        std::string name = json::serialize(micro[1]);
        if (micro[0].as_string() == "read") {
          const json::value* v = regs.if_contains(name);
          micro[2] = v != nullptr ? *v : o_.initial ? *o_.initial : json::value(nullptr);
        } else {
          regs[name] = micro[2];
        }
        out.push_back(std::move(micro));
      }
      p.output = std::move(out);
    }
  }

  const RandomHistoryOptions& o_;
  std::mt19937_64& rng_;
  std::map<std::string, json::value> objects_;
  std::int64_t written_ = 0;  // last distinct value handed out
  History history_;
};

// ---- corruptions ----------------------------------------------------------------

bool reads(const Operation& op) {
  return op.f == "read" || op.f == "get" || op.f == "dequeue" || op.f == "txn";
}

// Gives the process of ops[pos] a new id from `pos + 1` on: it may not invoke again
// after an operation that no longer completes.
void retire(History& h, std::size_t pos) {
  std::int64_t old = h.ops[pos].process, fresh = 0;
  for (const Operation& op : h.ops) fresh = std::max(fresh, op.process + 1);
  for (std::size_t i = pos + 1; i < h.ops.size(); ++i) {
    if (h.ops[i].process == old) h.ops[i].process = fresh;
  }
}

// The largest integer written anywhere in the history, at least o.values.
std::int64_t largest_value(const History& h, const RandomHistoryOptions& o) {
  std::int64_t largest = o.values;
  std::function<void(const json::value&)> visit = [&](const json::value& v) {
    if (v.is_int64()) largest = std::max(largest, v.get_int64());
    if (v.is_array()) {
      for (const auto& e : v.get_array()) visit(e);
    }
  };
  for (const Operation& op : h.ops) visit(op.value);
  return largest;
}

json::value other_value(const json::value& v, std::int64_t largest, std::mt19937_64& rng) {
  std::vector<json::value> choices;
  if (v.is_string()) {
    std::string s(v.get_string());
    choices = {json::value(""), json::value("a"), json::value(s + "x"), json::value(s + "y"),
               json::value("x" + s)};
    if (!s.empty()) choices.push_back(json::value(s.substr(1)));
  } else {
    choices.push_back(nullptr);
    for (std::int64_t i = 1; i <= largest + 1; ++i) choices.push_back(i);
  }
  choices.erase(std::remove(choices.begin(), choices.end(), v), choices.end());
  return choices[pick(rng, choices.size())];
}

bool change_read(History& h, const RandomHistoryOptions& o, std::mt19937_64& rng) {
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    if (h.ops[i].type == OpType::kOk && reads(h.ops[i])) candidates.push_back(i);
  }
  if (candidates.empty()) return false;
  const std::int64_t largest = largest_value(h, o);
  Operation& op = h.ops[candidates[pick(rng, candidates.size())]];
  if (op.f == "txn") {
    std::vector<std::size_t> micro_reads;
    json::array& micro = op.value.as_array();
    for (std::size_t k = 0; k < micro.size(); ++k) {
      if (micro[k].as_array()[0].as_string() == "read") micro_reads.push_back(k);
    }
    if (micro_reads.empty()) return false;
    json::value& v = micro[micro_reads[pick(rng, micro_reads.size())]].as_array()[2];
    v = other_value(v, largest, rng);
  } else if (op.value.is_array()) {  // set read: add a missing element or drop one
    json::array& items = op.value.as_array();
    if (!items.empty() && chance(rng, 0.5)) {
      items.erase(items.begin() + static_cast<std::ptrdiff_t>(pick(rng, items.size())));
    } else {
      for (std::int64_t i = 1; i <= largest + 1; ++i) {
        json::value e = i;
        if (std::find(items.begin(), items.end(), e) == items.end()) {
          items.push_back(e);
          break;
        }
      }
    }
  } else {
    op.value = other_value(op.value, largest, rng);
  }
  return true;
}

void corrupt(History& h, const RandomHistoryOptions& o, std::mt19937_64& rng) {
  std::vector<std::size_t> completions;
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    if (h.ops[i].is_completion()) completions.push_back(i);
  }
  // Only a changed read or a swapped outcome can make a history non-linearizable;
  // `info` and lost completions only add linearizations, but exercise unknown outcomes.
  std::size_t kind = pick(rng, 5);
  if (kind <= 1 && change_read(h, o, rng)) return;
  if (completions.empty()) return;
  std::size_t pos = completions[pick(rng, completions.size())];
  Operation& op = h.ops[pos];
  if (kind <= 2) {  // swap ok and fail
    if (op.type == OpType::kOk) {
      op.type = OpType::kFail;
    } else if (op.type == OpType::kFail) {
      op.type = OpType::kOk;
    }
  } else if (kind == 3) {  // outcome becomes unknown
    op.type = OpType::kInfo;
    retire(h, pos);
  } else {  // the completion is lost
    retire(h, pos);
    h.ops.erase(h.ops.begin() + static_cast<std::ptrdiff_t>(pos));
  }
}

}  // namespace

History random_history(const RandomHistoryOptions& options, std::mt19937_64& rng) {
  History h = Simulation(options, rng).run();
  h.source = "random";
  if (chance(rng, options.corrupt)) {
    corrupt(h, options, rng);
    if (chance(rng, 0.3)) corrupt(h, options, rng);
    for (std::size_t i = 0; i < h.ops.size(); ++i) {
      h.ops[i].index = static_cast<std::int64_t>(i);
      h.ops[i].line = i + 1;
    }
  }
  return h;
}

}  // namespace faultline::reference
