#include "workloads/convergence_reads.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <thread>

#include "checker/perf/fault_windows.h"

namespace faultline {

std::vector<boost::json::value> register_keys(const History& history) {
  std::vector<boost::json::value> keys;
  std::vector<std::string> seen;
  for (const Operation& op : history.ops) {
    if (op.is_nemesis() || op.type != OpType::kInvoke || !op.key || is_final_op(op)) continue;
    if (op.f != "read" && op.f != "write" && op.f != "cas") continue;
    std::string text = boost::json::serialize(*op.key);
    if (std::find(seen.begin(), seen.end(), text) != seen.end()) continue;
    seen.push_back(std::move(text));
    keys.push_back(*op.key);
  }
  return keys;
}

ConvergenceReadOutcome read_until_converged(FinalPhaseContext& context,
                                            const ConvergenceReadPlan& plan) {
  using Clock = std::chrono::steady_clock;
  ConvergenceReadOutcome outcome;
  const auto deadline = Clock::now() + plan.timeout;
  const std::size_t n = plan.nodes.size();
  if (n == 0) return outcome;
  std::vector<std::unique_ptr<NodeClient>> clients(n);
  std::vector<std::int64_t> process(n);
  for (std::size_t i = 0; i < n; ++i) {
    process[i] = plan.first_process + static_cast<std::int64_t>(i) * 1'000'000;
  }
  std::vector<std::size_t> pending(plan.keys.size());  // keys not yet agreed on
  for (std::size_t k = 0; k < pending.size(); ++k) pending[k] = k;
  // latest[i][k]: node i's last read of key k, when it was ok.
  std::vector<std::vector<std::optional<boost::json::value>>> latest(
      n, std::vector<std::optional<boost::json::value>>(plan.keys.size()));

  std::mutex errors_mutex;
  while (!pending.empty() && Clock::now() < deadline) {
    if (outcome.rounds > 0) std::this_thread::sleep_for(plan.pause);
    ++outcome.rounds;
    std::vector<std::thread> threads;
    std::vector<std::size_t> reads(n);
    for (std::size_t i = 0; i < n; ++i) {
      threads.emplace_back([&, i] {
        try {
          if (!clients[i]) clients[i] = context.client_for(plan.nodes[i], FinalReads::kAsRun);
          for (std::size_t k : pending) {
            if (Clock::now() >= deadline) return;
            Operation op;
            op.f = "read";
            op.key = plan.keys[k];
            op.value = nullptr;
            op.node = plan.nodes[i];
            op.process = process[i];
            op.extra["final"] = true;
            context.record_invoke(op);
            Operation done = clients[i]->invoke(op);
            done.process = op.process;
            done.key = op.key;
            if (!done.node) done.node = op.node;
            done.extra["final"] = true;  // both records: the register's check leaves them out
            context.record_complete(done);
            ++reads[i];
            if (done.type == OpType::kInfo)
              ++process[i];  // a process with an unknown outcome is done
            latest[i][k] = done.type == OpType::kOk ? std::optional<boost::json::value>(done.value)
                                                    : std::nullopt;
          }
        } catch (const std::exception& e) {  // no client for this node: it cannot agree
          std::lock_guard lock(errors_mutex);
          if (outcome.errors.size() < 10) outcome.errors.push_back(plan.nodes[i] + ": " + e.what());
          clients[i].reset();
        }
      });
    }
    for (auto& t : threads) t.join();
    for (std::size_t r : reads) outcome.reads += r;
    std::vector<std::size_t> still;
    for (std::size_t k : pending) {
      bool agree = true;
      for (std::size_t i = 0; i < n && agree; ++i) {
        agree = latest[i][k].has_value() && *latest[i][k] == *latest[0][k];
      }
      if (agree) {
        ++outcome.converged_keys;
      } else {
        still.push_back(k);
      }
    }
    pending = std::move(still);
  }
  outcome.timed_out = !pending.empty();
  return outcome;
}

void run_convergence_reads(FinalPhaseContext& context) {
  ConvergenceReadPlan plan;
  plan.nodes = context.nodes;
  plan.keys = register_keys(context.history_so_far());
  plan.timeout = context.convergence_timeout;
  plan.first_process = context.first_process + 100'000'000;
  ConvergenceReadOutcome out = read_until_converged(context, plan);
  for (const auto& e : out.errors) context.log("convergence reads: " + e);
  context.log("convergence reads: " + std::to_string(out.converged_keys) + " of " +
              std::to_string(plan.keys.size()) + " keys agreed on every node after " +
              std::to_string(out.rounds) + " round(s), " + std::to_string(out.reads) + " reads" +
              (out.timed_out ? " (timed out)" : ""));
}

}  // namespace faultline
