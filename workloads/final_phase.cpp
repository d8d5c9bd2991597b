#include "workloads/final_phase.h"

#include <thread>

namespace faultline {

bool run_until_ok(FinalPhaseContext& context, const Operation& templ, const std::string& node,
                  std::int64_t& next_process, int attempts, FinalReads reads) {
  for (int attempt = 0; attempt < attempts; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::seconds(1));
    Operation op = templ;
    op.process = next_process++;
    op.node = node;
    context.record_invoke(op);
    Operation done = context.client_for(node, reads)->invoke(op);
    done.process = op.process;
    context.record_complete(done);
    if (done.type == OpType::kOk) return true;
    context.log(op.f + " on " + node + " attempt " + std::to_string(attempt + 1) + ": " +
                std::string(to_string(done.type)) +
                (done.error ? " (" + boost::json::serialize(*done.error) + ")" : ""));
  }
  return false;
}

void run_on_every_node_until_ok(FinalPhaseContext& context, const std::vector<Operation>& ops,
                                int attempts) {
  std::int64_t process = context.first_process;
  for (const Operation& op : ops) {
    for (const std::string& node : context.nodes) {
      if (!run_until_ok(context, op, node, process, attempts, FinalReads::kDurable)) {
        context.log("final " + op.f + " on " + node + " never succeeded");
      }
    }
  }
}

}  // namespace faultline
