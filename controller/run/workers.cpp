#include "controller/run/workers.h"

#include <chrono>

namespace faultline {

ClientWorkers::ClientWorkers(const Workload& workload, HistoryRecorder& recorder,
                             ClientFactory clients, WorkerPlan plan,
                             std::function<void(const std::string&)> log)
    : workload_(workload),
      recorder_(recorder),
      clients_(std::move(clients)),
      plan_(std::move(plan)),
      log_(std::move(log)) {
  if (plan_.concurrency == 0 || plan_.nodes.empty()) {
    throw std::invalid_argument("workers need a concurrency >= 1 and at least one node");
  }
}

ClientWorkers::~ClientWorkers() {
  stop();
}

void ClientWorkers::start() {
  for (std::size_t w = 0; w < plan_.concurrency; ++w) threads_.emplace_back([this, w] { run(w); });
}

void ClientWorkers::stop() {
  stopping_.store(true);
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void ClientWorkers::run(std::size_t worker) {
  using Clock = std::chrono::steady_clock;
  const auto concurrency = static_cast<std::int64_t>(plan_.concurrency);
  const std::string& node = plan_.nodes[worker % plan_.nodes.size()];
  std::int64_t process = static_cast<std::int64_t>(worker);
  std::unique_ptr<adapters::Client> client = clients_(node);
  std::unique_ptr<OpGenerator> generator = workload_.generator(worker, plan_.concurrency);

  // With a rate limit, each worker invokes every `period`, staggered across workers.
  Clock::duration period{0};
  Clock::time_point next = Clock::now();
  if (plan_.rate > 0) {
    period = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(static_cast<double>(concurrency) / plan_.rate));
    next += period * static_cast<long>(worker) / concurrency;
  }
  bool warned = false;
  while (!stopping_.load(std::memory_order_relaxed)) {
    if (plan_.rate > 0) {
      // Sleep in short steps so stop() is never held up by a slow rate.
      while (Clock::now() < next && !stopping_.load(std::memory_order_relaxed)) {
        std::this_thread::sleep_until(std::min(next, Clock::now() + std::chrono::milliseconds(50)));
      }
      if (stopping_.load(std::memory_order_relaxed)) break;
      next += period;
    }
    Operation op;
    generator->next(op);
    op.process = process;
    op.node = node;
    recorder_.invoke(op);
    invoked_.fetch_add(1, std::memory_order_relaxed);
    Operation done;
    try {
      done = client->invoke(op);
    } catch (const std::exception& e) {
      // A client that throws has a bug; the operation's fate is unknown.
      done = op;
      done.type = OpType::kInfo;
      done.error = std::string(e.what());
      if (log_ && !warned) log_("client error on " + node + ": " + e.what());
      warned = true;
    }
    done.process = process;
    if (!done.node) done.node = node;
    recorder_.complete(done);
    generator->observe(op, done);
    if (done.type == OpType::kInfo) {
      process += concurrency;
      client = clients_(node);
    }
  }
}

}  // namespace faultline
