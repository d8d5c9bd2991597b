// The counter workload: clients increment one counter (add 1, Redis INCR) and sometimes read
// it; after the faults heal, a final read on every node says what the counter kept. Checked
// for lost increments (checker/counter/counter_checker.h).

#include "checker/counter/counter_checker.h"
#include "workloads/factories.h"

namespace faultline {
namespace {

class CounterGenerator final : public OpGenerator {
 public:
  CounterGenerator(std::uint64_t seed, double read_share, std::size_t worker)
      : rng_(worker_rng(seed, worker)), read_share_(read_share) {}

  void next(Operation& op) override {
    if (rng_.unit() < read_share_) {
      op.f = "read";
      op.value = nullptr;
    } else {
      op.f = "add";
      op.value = 1;
    }
  }

 private:
  SplitMix64 rng_;
  double read_share_;
};

class CounterWorkload final : public Workload {
 public:
  explicit CounterWorkload(const WorkloadOptions& o) : Workload(o) {}
  std::string name() const override { return "counter"; }
  std::string checker() const override { return "counter (reads within acknowledged bounds)"; }

  std::unique_ptr<OpGenerator> generator(std::size_t worker, std::size_t) const override {
    return std::make_unique<CounterGenerator>(options_.seed, options_.read_share.value_or(0.1),
                                              worker);
  }

  std::vector<Operation> final_ops() const override { return final_read(); }

  CheckerResult check(const History& history, const CheckBudget&) const override {
    CounterCheckResult result = check_counter(history);
    return checker_result(result);
  }
};

}  // namespace

std::unique_ptr<Workload> make_counter_workload(const WorkloadOptions& options) {
  return std::make_unique<CounterWorkload>(options);
}

}  // namespace faultline
