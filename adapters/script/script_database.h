#pragma once
// ScriptDatabase: a store described by a test file (ScriptStore), driven on every node by its
// own shell text (node_script.h) and talked to through client processes (process_client.h).
//
// Lifecycle: setup = install (once per node, optional), stop and wipe anything left by an
// earlier run, start on every node, then poll `healthy` on every node until all exit 0 or
// the store's healthy_timeout passes. teardown = stop, then wipe. Process faults act on the
// process the pid file names (or, without one, every process of that name in the node's
// network namespace).
//
// Settings: each setting the store declares is in force with the value the options give,
// else with its first listed value (the default).

#include <memory>
#include <string>
#include <vector>

#include "adapters/db.h"
#include "adapters/script/node_script.h"
#include "adapters/script/script_store.h"

namespace faultline::adapters {

class ScriptDatabase final : public Database {
 public:
  // Throws DatabaseError for a setting the store does not declare, a value it does not allow,
  // or a path naming an unknown ${FAULTLINE_...} variable.
  ScriptDatabase(ScriptStore store, remote::NodeSet& nodes, DatabaseOptions options);

  std::string name() const override { return store_.name; }
  void setup() override;
  void teardown() override;
  bool wait_healthy(std::chrono::milliseconds timeout) override;

  void start(const std::string& node) override;
  void kill(const std::string& node) override;
  void pause(const std::string& node) override;
  void resume(const std::string& node) override;
  ProcessLocation process_location(const remote::Node& node) const override;
  remote::Command start_command(const remote::Node& node) const override;
  remote::Command restart_command(const remote::Node& node) const override;
  bool honours_faketime() const override {
    return store_.honours_faketime && static_cast<bool>(options_.faketime_environment);
  }
  std::string faketime_note() const override;

  std::vector<std::string> primaries() override;
  void download_logs(const std::filesystem::path& dir) override;
  std::string version() override;

  std::unique_ptr<Client> client(const std::string& node, const ClientOptions& options) override;
  std::vector<std::string> workloads() const override { return store_.workloads; }

  // The environment of the store's commands on `node` (FAULTLINE_NODE, ..., the settings).
  Environment node_environment(const remote::Node& node) const;
  // The settings in force, each declared setting with its value.
  const std::map<std::string, std::string>& settings() const { return settings_; }

 private:
  void log(const std::string& line) const;
  remote::Command step(const remote::Node& node, NodeStep step, const std::string& command,
                       std::chrono::milliseconds timeout) const;
  // Runs `step` on every node in parallel; throws DatabaseError naming what failed.
  void on_every_node(const char* what, NodeStep step, const std::string& command,
                     std::chrono::milliseconds timeout);
  void on_node(const std::string& node, NodeStep step, const std::string& command);

  ScriptStore store_;
  remote::NodeSet& nodes_;
  DatabaseOptions options_;
  std::map<std::string, std::string> settings_;
};

}  // namespace faultline::adapters
