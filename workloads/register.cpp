// The register workload: independent integer keys, each a compare-and-set register holding
// values unique per key, checked for linearizability key by key. Keys rotate: each worker
// spends its share of `ops_per_key` operations on the current group of `keys` keys, then
// moves to fresh keys, so unknown-outcome writes (which stay concurrent with everything
// after them) never pile up on one key beyond what the checker can search.

#include <unordered_map>

#include "checker/lin/check.h"
#include "checker/perf/fault_windows.h"
#include "workloads/convergence_reads.h"
#include "workloads/factories.h"

namespace faultline {
namespace {

class RegisterGenerator final : public OpGenerator {
 public:
  RegisterGenerator(const WorkloadOptions& o, double read_share, std::size_t worker,
                    std::size_t workers)
      : rng_(worker_rng(o.seed, worker)),
        worker_(worker),
        workers_(workers),
        keys_(o.keys),
        read_share_(read_share),
        cas_share_(o.cas_share),
        quota_(
            std::max<std::size_t>(1, o.keys * o.ops_per_key / std::max<std::size_t>(1, workers))) {}

  void next(Operation& op) override {
    std::int64_t group = static_cast<std::int64_t>(issued_++ / quota_);
    std::int64_t key =
        group * static_cast<std::int64_t>(keys_) + static_cast<std::int64_t>(rng_.below(keys_));
    op.key = boost::json::value(key);
    double roll = rng_.unit();
    if (roll < read_share_) {
      op.f = "read";
      op.value = nullptr;
      return;
    }
    auto seen = last_seen_.find(key);
    if (roll < read_share_ + cas_share_ && seen != last_seen_.end()) {
      op.f = "cas";
      op.value = boost::json::array{seen->second, fresh_value()};
      return;
    }
    op.f = "write";
    op.value = fresh_value();
  }

  void observe(const Operation& invoke, const Operation& completion) override {
    if (completion.type != OpType::kOk || !invoke.key || !invoke.key->is_int64()) return;
    std::int64_t key = invoke.key->get_int64();
    if (invoke.f == "read" && completion.value.is_int64()) {
      last_seen_[key] = completion.value.get_int64();
    } else if (invoke.f == "write" && invoke.value.is_int64()) {
      last_seen_[key] = invoke.value.get_int64();
    } else if (invoke.f == "cas" && invoke.value.is_array() &&
               invoke.value.get_array().size() == 2 && invoke.value.get_array()[1].is_int64()) {
      last_seen_[key] = invoke.value.get_array()[1].get_int64();
    }
    // Forget keys of groups this worker has left.
    if (last_seen_.size() > 4 * keys_) last_seen_.clear();
  }

 private:
  // Unique across workers: worker w writes w+1, w+1+W, w+1+2W, ...
  std::int64_t fresh_value() {
    return static_cast<std::int64_t>(written_++ * workers_ + worker_ + 1);
  }

  SplitMix64 rng_;
  std::size_t worker_, workers_, keys_;
  double read_share_, cas_share_;
  std::size_t quota_;
  std::size_t issued_ = 0, written_ = 0;
  std::unordered_map<std::int64_t, std::int64_t> last_seen_;
};

class RegisterWorkload final : public Workload {
 public:
  explicit RegisterWorkload(const WorkloadOptions& o) : Workload(o) {
    read_share_ = o.read_share.value_or(0.5);
    if (read_share_ + o.cas_share > 1) {
      throw std::invalid_argument("register: read share + cas share exceed 1");
    }
  }
  std::string name() const override { return "register"; }
  std::string checker() const override { return "linearizable (cas-register, per key)"; }

  std::unique_ptr<OpGenerator> generator(std::size_t worker, std::size_t workers) const override {
    return std::make_unique<RegisterGenerator>(options_, read_share_, worker, workers);
  }

  // Every key read on every node until they agree (convergence_reads.h).
  void final_phase(FinalPhaseContext& context) const override { run_convergence_reads(context); }

  CheckerResult check(const History& history, const CheckBudget& budget) const override {
    // Only the register's own operations: nemesis and any other records are not the model's.
    // The convergence reads after the final heal ("final": true on both records) are left to
    // checker/convergence: they read each node as it catches up, which is not a client's view.
    History client;
    client.source = history.source;
    client.format = history.format;
    for (const Operation& op : history.ops) {
      if (!op.is_nemesis() && !is_final_op(op)) client.ops.push_back(op);
    }
    CheckOptions options;
    options.model = "cas-register";
    options.threads = budget.threads;
    options.time_limit_s = budget.time_limit_s;
    options.memory_limit_mib = budget.memory_limit_mib;
    options.nil_reads = budget.nil_reads;
    options.all_keys = true;  // report every bad key, not just the first found
    CheckResult result = check_linearizable(client, options);
    return checker_result(result);
  }

 private:
  double read_share_ = 0.5;
};

}  // namespace

std::unique_ptr<Workload> make_register_workload(const WorkloadOptions& options) {
  return std::make_unique<RegisterWorkload>(options);
}

}  // namespace faultline
