// The bank workload: `accounts` accounts holding `total` between them (split evenly at
// setup), random transfers between two accounts, and reads of every balance at once
// (checker/bank/bank_checker.h). Accounts are named "0", "1", ...

#include "checker/bank/bank_checker.h"
#include "workloads/factories.h"

namespace faultline {
namespace {

class BankGenerator final : public OpGenerator {
 public:
  BankGenerator(const WorkloadOptions& o, double read_share, std::size_t worker)
      : rng_(worker_rng(o.seed, worker)),
        read_share_(read_share),
        accounts_(o.accounts),
        max_transfer_(o.max_transfer) {}

  void next(Operation& op) override {
    if (rng_.unit() < read_share_) {
      op.f = "read";
      op.value = nullptr;
      return;
    }
    std::uint64_t from = rng_.below(accounts_);
    std::uint64_t to = (from + 1 + rng_.below(accounts_ - 1)) % accounts_;
    op.f = "transfer";
    op.value = boost::json::object{
        {"from", std::to_string(from)},
        {"to", std::to_string(to)},
        {"amount",
         static_cast<std::int64_t>(1 + rng_.below(static_cast<std::uint64_t>(max_transfer_)))}};
  }

 private:
  SplitMix64 rng_;
  double read_share_;
  std::size_t accounts_;
  std::int64_t max_transfer_;
};

class BankWorkload final : public Workload {
 public:
  explicit BankWorkload(const WorkloadOptions& o) : Workload(o) {}
  std::string name() const override { return "bank"; }
  std::string checker() const override { return "bank (totals, negative balances)"; }

  std::unique_ptr<OpGenerator> generator(std::size_t worker, std::size_t) const override {
    return std::make_unique<BankGenerator>(options_, options_.read_share.value_or(0.5), worker);
  }

  std::vector<Operation> setup_ops() const override {
    boost::json::object balances;
    auto n = static_cast<std::int64_t>(options_.accounts);
    for (std::int64_t i = 0; i < n; ++i) {
      // The remainder goes to the first accounts, so the sum is exactly the total.
      balances[std::to_string(i)] = options_.total / n + (i < options_.total % n ? 1 : 0);
    }
    Operation init;
    init.f = "init";
    init.value = std::move(balances);
    return {init};
  }

  std::vector<Operation> final_ops() const override { return final_read(); }

  CheckerResult check(const History& history, const CheckBudget&) const override {
    BankCheckOptions options;
    for (std::size_t i = 0; i < options_.accounts; ++i)
      options.accounts.push_back(std::to_string(i));
    options.total = options_.total;
    BankCheckResult result = check_bank(history, options);
    return checker_result(result);
  }
};

}  // namespace

std::unique_ptr<Workload> make_bank_workload(const WorkloadOptions& options) {
  return std::make_unique<BankWorkload>(options);
}

}  // namespace faultline
