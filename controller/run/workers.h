#pragma once
// ClientWorkers: the client side of a run. One thread per worker; worker w talks to node
// nodes[w % n] through its own client, draws operations from its own generator (seeded by w),
// and records each invocation and completion. Jepsen's process rule: a worker starts as
// process w; when an operation's outcome is unknown (`info`) that process is retired and the
// worker continues as process w + concurrency, with a fresh client.
//
// An optional rate limit spreads `rate` operations per second evenly over the workers.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "adapters/db.h"
#include "controller/run/recorder.h"
#include "workloads/workload.h"

namespace faultline {

using ClientFactory = std::function<std::unique_ptr<adapters::Client>(const std::string& node)>;

struct WorkerPlan {
  std::size_t concurrency = 1;
  std::vector<std::string> nodes;  // at least one
  double rate = 0;                 // total operations per second; 0: as fast as they complete
};

class ClientWorkers {
 public:
  // `log` receives one line per unexpected client error (e.g. a client bug); may be empty.
  ClientWorkers(const Workload& workload, HistoryRecorder& recorder, ClientFactory clients,
                WorkerPlan plan, std::function<void(const std::string&)> log = {});
  ~ClientWorkers();
  ClientWorkers(const ClientWorkers&) = delete;
  ClientWorkers& operator=(const ClientWorkers&) = delete;

  void start();
  // Lets each worker finish the operation in flight (bounded by its client's timeout), then
  // joins them. Idempotent.
  void stop();
  // Operations invoked so far.
  std::uint64_t invoked() const { return invoked_.load(std::memory_order_relaxed); }

 private:
  void run(std::size_t worker);

  const Workload& workload_;
  HistoryRecorder& recorder_;
  ClientFactory clients_;
  WorkerPlan plan_;
  std::function<void(const std::string&)> log_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> invoked_{0};
  std::vector<std::thread> threads_;
};

}  // namespace faultline
