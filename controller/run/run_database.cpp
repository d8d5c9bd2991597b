#include "controller/run/run_database.h"

#include <algorithm>

#include "controller/errors.h"
#include "nemesis/faketime.h"

namespace faultline {
namespace {

// The adapter's knowledge of its processes, as the nemesis asks for it.
class AdapterProcessControl final : public nemesis::ProcessControl {
 public:
  explicit AdapterProcessControl(adapters::Database& db) : db_(db) {}
  nemesis::ProcessSelector processes(const remote::Node& node) const override {
    adapters::ProcessLocation where = db_.process_location(node);
    return nemesis::ProcessSelector{where.pid_file, where.process_name};
  }
  std::optional<remote::Command> restart_command(const remote::Node& node) const override {
    return db_.restart_command(node);
  }

 private:
  adapters::Database& db_;
};

}  // namespace

void RunLogRelay::attach(RunLog* log) {
  std::lock_guard lock(mutex_);
  log_ = log;
}

void RunLogRelay::line(const std::string& text) {
  std::lock_guard lock(mutex_);
  if (log_) log_->line(text);
}

std::unique_ptr<adapters::Database> make_run_database(const TestPlan& plan, remote::NodeSet& nodes,
                                                      std::size_t index, RunLogRelay& relay) {
  adapters::DatabaseOptions options;
  // Distinguishes this run's cluster from any earlier one (etcd's initial-cluster-token).
  options.run_id = plan.test_name + "-" + local_time(kRunStamp) + "-" + std::to_string(index + 1);
  options.log = [&relay](const std::string& line) { relay.line(line); };
  options.settings = plan.config.db_settings;
  options.faketime_environment = nemesis::faketime_environment;
  std::unique_ptr<adapters::Database> db;
  try {
    db = store_of(plan.config).make(nodes, options);
  } catch (const adapters::DatabaseError& e) {
    throw UsageError(e.what());
  }
  auto supported = db->workloads();
  if (std::find(supported.begin(), supported.end(), plan.config.workload) == supported.end()) {
    std::string names;
    for (const auto& w : supported) names += (names.empty() ? "" : ", ") + w;
    throw UsageError(plan.config.db + " has no client for workload '" + plan.config.workload +
                     "' (it has: " + names + ")");
  }
  return db;
}

nemesis::NemesisHooks nemesis_hooks(adapters::Database& db) {
  nemesis::NemesisHooks hooks;
  hooks.primaries = [&db] { return db.primaries(); };
  hooks.processes = std::make_shared<AdapterProcessControl>(db);
  if (!db.honours_faketime()) {
    hooks.clock = nemesis::ClockSkewDeclaration{nemesis::ClockSkewSupport::kSystemOnly, db.name(),
                                                db.faketime_note()};
  }
  return hooks;
}

}  // namespace faultline
