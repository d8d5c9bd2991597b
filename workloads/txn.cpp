// The transactional workloads, Elle style (Kingsbury & Alvaro 2020): every operation is a
// transaction ("f": "txn") of 1 to 5 micro-ops over a small window of active keys,
//   list-append  ["append", k, v] / ["r", k, null]  (the read returns the key's whole list)
//   rw-register  ["w", k, v]      / ["r", k, null]  (the read returns the value or null)
// Values written are unique across all workers; a transaction reads a key at most once, and
// not after writing it. The window slides one key at a time, so a
// key takes about `ops_per_key` micro-ops (all workers together) before it retires and lists
// stay short; few keys and several workers make transactions contend, which is what brings
// out anomalies. Checked by checker/txn against `consistency_model` (the model the
// database's isolation level promises; default strict-serializable).

#include <algorithm>

#include "checker/txn/check.h"
#include "checker/txn/consistency_models.h"
#include "workloads/factories.h"

namespace faultline {
namespace {

constexpr std::uint64_t kMaxTxnLength = 5;

class TxnGenerator final : public OpGenerator {
 public:
  TxnGenerator(const WorkloadOptions& o, const char* write_f, double read_share, std::size_t worker,
               std::size_t workers)
      : rng_(worker_rng(o.seed, worker)),
        write_f_(write_f),
        read_share_(read_share),
        worker_(worker),
        workers_(workers),
        keys_(o.keys),
        step_(std::max<std::size_t>(1, o.ops_per_key / std::max<std::size_t>(1, workers))) {}

  void next(Operation& op) override {
    op.f = "txn";
    boost::json::array mops;
    const std::uint64_t length = 1 + rng_.below(kMaxTxnLength);
    std::vector<std::int64_t> used;  // keys this transaction already touched
    for (std::uint64_t i = 0; i < length; ++i) {
      const auto key = static_cast<std::int64_t>(issued_++ / step_ + rng_.below(keys_));
      const bool fresh = std::find(used.begin(), used.end(), key) == used.end();
      used.push_back(key);
      // A key is read only before the transaction touched it: a second read may differ
      // under READ COMMITTED (non-repeatable reads are allowed there), which would look like
      // a transaction disagreeing with itself.
      if (fresh && rng_.unit() < read_share_) {
        mops.push_back(boost::json::array{"r", key, nullptr});
      } else {
        mops.push_back(boost::json::array{write_f_, key, fresh_value()});
      }
    }
    op.value = std::move(mops);
  }

 private:
  // Unique across workers: worker w writes w+1, w+1+W, w+1+2W, ...
  std::int64_t fresh_value() {
    return static_cast<std::int64_t>(written_++ * workers_ + worker_ + 1);
  }

  SplitMix64 rng_;
  const char* write_f_;
  double read_share_;
  std::size_t worker_, workers_, keys_, step_;
  std::size_t issued_ = 0, written_ = 0;
};

class TxnWorkload final : public Workload {
 public:
  TxnWorkload(const WorkloadOptions& o, txn::ObjectKind kind) : Workload(o), kind_(kind) {
    if (!o.consistency_model.empty() && !txn::find_consistency_model(o.consistency_model)) {
      std::string known;
      for (const auto& m : txn::consistency_model_names()) known += (known.empty() ? "" : ", ") + m;
      throw std::invalid_argument("unknown consistency model '" + o.consistency_model +
                                  "' (known: " + known + ")");
    }
  }
  std::string name() const override { return std::string(txn::to_string(kind_)); }
  std::string checker() const override {
    return "transactional (" + model() + ", Elle-style cycles)";
  }

  std::unique_ptr<OpGenerator> generator(std::size_t worker, std::size_t workers) const override {
    return std::make_unique<TxnGenerator>(options_,
                                          kind_ == txn::ObjectKind::kListAppend ? "append" : "w",
                                          options_.read_share.value_or(0.5), worker, workers);
  }

  CheckerResult check(const History& history, const CheckBudget& budget) const override {
    History client;
    client.source = history.source;
    client.format = history.format;
    for (const Operation& op : history.ops) {
      if (!op.is_nemesis()) client.ops.push_back(op);
    }
    txn::TxnCheckOptions options;
    options.workload = kind_;
    options.consistency_model = model();
    options.threads = budget.threads;
    options.time_limit_s = budget.time_limit_s;
    options.memory_limit_mib = budget.memory_limit_mib;
    txn::TxnCheckResult result = txn::check_transactions(client, options);
    return checker_result(result);
  }

 private:
  std::string model() const {
    return options_.consistency_model.empty() ? "strict-serializable" : options_.consistency_model;
  }
  txn::ObjectKind kind_;
};

}  // namespace

std::unique_ptr<Workload> make_list_append_workload(const WorkloadOptions& options) {
  return std::make_unique<TxnWorkload>(options, txn::ObjectKind::kListAppend);
}

std::unique_ptr<Workload> make_rw_register_workload(const WorkloadOptions& options) {
  return std::make_unique<TxnWorkload>(options, txn::ObjectKind::kRwRegister);
}

}  // namespace faultline
