#pragma once
// The sequential model interface the linearizability engine searches over.
//
// A model is instantiated once per partition (PartitionModel). The engine hands it every
// operation of the partition (add), then asks for the initial state and for transitions.
// States are 64-bit handles: a model whose state fits (a register's value id) uses it
// directly; others intern their states (set, queues, maps) and hand out ids. Models are
// used by one thread at a time.
//
// Adding a model: one file checker/models/<name>.cpp defining a factory, plus its line
// in checker/models/registry.cpp.

#include <boost/json.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "checker/history/op_values.h"

namespace faultline {

// An operation as a model compiles it. `result` is the completion's value for an
// operation known to have happened (`ok`), nullptr when the outcome is unknown (`info`).
// `fail` operations never reach models.
struct ModelInput {
  const std::string& f;
  const boost::json::value& invoke_value;
  const boost::json::value* result;
  bool known() const { return result != nullptr; }
};

// An operation a model cannot take; the engine adds the file and line.
class ModelInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// How a register-like model (register, cas-register, multi-register, kv) reads a read
// whose value is nil (null).
enum class NilReads : std::uint8_t {
  kValue,    // the register held nil (the default: faultline's own histories mean that)
  kUnknown,  // the value read is unknown, so it matches any state (Knossos' reading)
};

struct ModelConfig {
  std::optional<boost::json::value> initial;  // nullopt: the model's default
  NilReads nil_reads = NilReads::kValue;
};

class PartitionModel {
 public:
  static constexpr int kDrop = -1;
  virtual ~PartitionModel() = default;

  // Compiles one operation; returns its id (0, 1, 2, ... in call order) or kDrop when it
  // constrains nothing (a read of unknown result). Throws ModelInputError.
  virtual int add(const ModelInput& op) = 0;
  // After every add(): marks in `droppable` (indexed by op id, all false on entry) unknown-
  // outcome operations whose effect no other operation can observe; removing them changes
  // no verdict. Optional.
  virtual void find_unobservable(std::vector<char>& droppable) const { (void)droppable; }

  virtual std::uint64_t initial() = 0;
  // Appends to `next` the states reached by applying `op` in `state` (none: the model
  // rejects it). More than one only for nondeterministic operations (an unknown-result
  // dequeue of an unordered queue).
  virtual void step(std::uint64_t state, int op, std::vector<std::uint64_t>& next) = 0;

  // True when `op` never changes the state it is accepted in (a read). The search
  // linearizes such an operation as soon as it can and never tries it later.
  virtual bool read_only(int op) const {
    (void)op;
    return false;
  }

  // True when `op` accepts every state and its result ignores the state (a write).
  virtual bool blind(int op) const {
    (void)op;
    return false;
  }
  // The independent sub-object `op` acts on (a key, for KeyedModel); operations on
  // different objects commute. 0 for models of one object.
  virtual std::size_t object_of(int op) const {
    (void)op;
    return 0;
  }

  // Lookahead pruning, for models whose states only grow between resets (appends
  // between puts, adds to a set). resets(op): `op` can replace the state (a put).
  // may_reach(state, op): false only if no sequence of non-resetting operations leads
  // from `state` to one that accepts `op`. The search drops a state from which some
  // pending known operation is unreachable, directly or through a reset that could come
  // before it.
  virtual bool prunes() const { return false; }
  virtual bool resets(int op) const {
    (void)op;
    return true;
  }
  virtual bool may_reach(std::uint64_t state, int op) const {
    (void)state;
    (void)op;
    return true;
  }
  // Like may_reach, from the state right after the resetting operation `reset`.
  virtual bool may_reach_after(int reset, int op) const {
    (void)reset;
    (void)op;
    return true;
  }
  // `state` with the sub-state of `object` replaced by one that no operation but a reset
  // accepts (and that every non-reset keeps): the search calls it when no pending
  // operation could observe that sub-state before a reset, so that states differing only
  // in what nobody will see are merged. Only read_only operations count as observers: a
  // model that prunes must have no other operation whose effect depends on the state
  // except through may_reach. Default: unchanged.
  virtual std::uint64_t forget(std::uint64_t state, std::size_t object) {
    (void)object;
    return state;
  }

  // For the register engine (checker/lin/zones.h): a plain read or write of the whole
  // state, whose state handles are value ids (reads: the value read; writes: the value
  // written). nullopt for anything else (a cas), which keeps the partition on the search.
  struct RegisterAccess {
    bool write = false;
    std::uint64_t value = 0;
  };
  virtual std::optional<RegisterAccess> register_access(int op) const {
    (void)op;
    return std::nullopt;
  }

  virtual std::string describe_state(std::uint64_t state) const = 0;
  virtual std::string describe_op(int op) const = 0;
  // Why `op` cannot take effect in `state`, in words ("read 3, but the register holds 4").
  virtual std::string why_rejects(std::uint64_t state, int op) const = 0;
  // Memory held by interned states and values.
  virtual std::size_t memory_bytes() const { return 0; }
};

using ModelFactory = std::unique_ptr<PartitionModel> (*)(const ModelConfig& config);

// nullptr when unknown.
ModelFactory find_model(const std::string& name);

}  // namespace faultline
