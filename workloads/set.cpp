// The set workload: clients add unique integers to one grow-only set and sometimes read it
// whole; after the faults heal, a final read on every node says what the set kept
// (checker/set/set_checker.h).

#include "checker/set/set_checker.h"
#include "workloads/factories.h"

namespace faultline {
namespace {

class SetGenerator final : public OpGenerator {
 public:
  SetGenerator(std::uint64_t seed, double read_share, std::size_t worker, std::size_t workers)
      : rng_(worker_rng(seed, worker)),
        read_share_(read_share),
        worker_(worker),
        workers_(workers) {}

  void next(Operation& op) override {
    if (rng_.unit() < read_share_) {
      op.f = "read";
      op.value = nullptr;
      return;
    }
    op.f = "add";
    op.value = static_cast<std::int64_t>(added_++ * workers_ + worker_);
  }

 private:
  SplitMix64 rng_;
  double read_share_;
  std::size_t worker_, workers_;
  std::size_t added_ = 0;
};

class SetWorkload final : public Workload {
 public:
  explicit SetWorkload(const WorkloadOptions& o) : Workload(o) {}
  std::string name() const override { return "set"; }
  std::string checker() const override { return "set (lost, unexpected, stale, recovered)"; }

  std::unique_ptr<OpGenerator> generator(std::size_t worker, std::size_t workers) const override {
    return std::make_unique<SetGenerator>(options_.seed, options_.read_share.value_or(0.1), worker,
                                          workers);
  }

  std::vector<Operation> final_ops() const override { return final_read(); }

  CheckerResult check(const History& history, const CheckBudget&) const override {
    SetCheckOptions options;
    options.stale_is_anomaly = options_.linearizable_reads;
    SetCheckResult result = check_set(history, options);
    return checker_result(result);
  }
};

}  // namespace

std::unique_ptr<Workload> make_set_workload(const WorkloadOptions& options) {
  return std::make_unique<SetWorkload>(options);
}

}  // namespace faultline
