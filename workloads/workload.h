#pragma once
// Workload: what a test asks of the database, and which checker judges the answers.
//
// A workload hands each client worker its own OpGenerator, seeded from the test's seed and
// the worker's number, so the sequence of operations a worker chooses is reproducible. The
// operations use the history's vocabulary (adapters implement it per database):
//   register  read / write v / cas [old new], each on an integer `key` (independent keys)
//   set       add e (unique integer) / read -> [elements]
//   counter   add n (an increment, 1) / read -> the counter
//   bank      init {account: balance} / transfer {"from","to","amount"} / read -> {account:
//   balance} list-append, rw-register  txn [micro-op ...] (workloads/txn.cpp, docs/transactions.md)
// Setup operations run once before the clients start. The final phase runs after the faults
// are healed (final_phase.h): by default each final operation once per node (invocations
// marked "final": true), e.g. the set's final read; the register reads every key on every
// node until they agree (convergence_reads.h).

#include <boost/json.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "checker/history/history.h"
#include "checker/lin/model.h"
#include "checker/result.h"
#include "workloads/final_phase.h"

namespace faultline {

struct WorkloadOptions {
  std::uint64_t seed = 0;
  bool linearizable_reads = true;    // judged as such (set: stale reads are anomalies)
  std::optional<double> read_share;  // of all operations; default per workload
  // register
  std::size_t keys = 8;           // keys in use at a time
  std::size_t ops_per_key = 300;  // then the workload moves on to fresh keys
  double cas_share = 0.25;        // of all operations; writes take the rest
  // bank
  std::size_t accounts = 5;
  std::int64_t total = 100;
  std::int64_t max_transfer = 5;
  // list-append, rw-register (keys, ops_per_key and read_share apply too): the consistency
  // model the history is judged against (checker/txn); empty: strict-serializable.
  std::string consistency_model;
};

// The operation stream of one client worker. Not thread-safe: one per worker.
class OpGenerator {
 public:
  virtual ~OpGenerator() = default;
  // Fills f, key, value (and extra) of the next invocation; the caller sets process, time.
  virtual void next(Operation& op) = 0;
  // How an operation this generator produced ended (e.g. to compare-and-set against values
  // seen). Optional.
  virtual void observe(const Operation& invoke, const Operation& completion) {
    (void)invoke;
    (void)completion;
  }
};

// Limits for the checking step.
struct CheckBudget {
  double time_limit_s = 0;                // 0: none
  std::size_t memory_limit_mib = 0;       // 0: the checker's default
  int threads = 0;                        // 0: all cores
  NilReads nil_reads = NilReads::kValue;  // register: what a nil read means (`--nil-reads`)
};

class Workload {
 public:
  virtual ~Workload() = default;
  virtual std::string name() const = 0;     // "register", "set", "bank"
  virtual std::string checker() const = 0;  // e.g. "linearizable (cas-register, per key)"
  const WorkloadOptions& options() const { return options_; }
  // Everything needed to rebuild this workload (workload_from_config), for test.json.
  boost::json::object config() const;

  virtual std::unique_ptr<OpGenerator> generator(std::size_t worker, std::size_t workers) const = 0;
  virtual std::vector<Operation> setup_ops() const { return {}; }
  virtual std::vector<Operation> final_ops() const { return {}; }
  // After the faults are healed and the cluster recovered. Default: each of final_ops() on
  // every node until ok (run_on_every_node_until_ok, 3 attempts).
  virtual void final_phase(FinalPhaseContext& context) const;
  virtual CheckerResult check(const History& history, const CheckBudget& budget) const = 0;

 protected:
  explicit Workload(WorkloadOptions options) : options_(std::move(options)) {}
  // final_ops of a workload whose checker judges one whole-state read after the faults
  // (set, counter, bank): a "read" marked "final": true.
  static std::vector<Operation> final_read();
  WorkloadOptions options_;
};

// The workload names make_workload accepts, sorted.
std::vector<std::string> workload_names();
// Throws std::invalid_argument naming the known workloads when `name` is not one, or when an
// option is out of range (e.g. read_share outside [0, 1]).
std::unique_ptr<Workload> make_workload(const std::string& name, const WorkloadOptions& options);
// From Workload::config(); throws std::invalid_argument on a malformed config.
std::unique_ptr<Workload> workload_from_config(const boost::json::object& config);

// A worker's random source: splitmix64 of (seed, worker); identical across platforms.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : next() % n; }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

inline SplitMix64 worker_rng(std::uint64_t seed, std::size_t worker) {
  SplitMix64 mix(seed ^ (0xA0761D6478BD642Full * (worker + 1)));
  return SplitMix64(mix.next());
}

}  // namespace faultline
