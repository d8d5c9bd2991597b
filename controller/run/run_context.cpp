#include "controller/run/run_context.h"

namespace faultline {

RunContext::RunContext(const TestPlan& plan, std::size_t index, const remote::NodesFile& nodes_file,
                       remote::NodeSet& nodes, adapters::Database& db, std::size_t concurrency,
                       bool terminal, const std::atomic<bool>& interrupted)
    : plan(plan),
      index(index),
      nodes_file(nodes_file),
      nodes(nodes),
      db(db),
      concurrency(concurrency),
      terminal(terminal),
      interrupted(interrupted),
      seed(plan.seed + index),
      store(RunStore::create(plan.config.store, plan.test_name)),
      log(store.dir() / "faultline.log", true, terminal) {
  WorkloadOptions options = plan.config.workload_options;
  options.seed = seed;
  workload = make_workload(plan.config.workload, options);
  client_options.workload = plan.config.workload;
  client_options.linearizable_reads = plan.linearizable_reads;
  client_options.timeout = std::chrono::milliseconds(plan.config.op_timeout_ms);
}

}  // namespace faultline
