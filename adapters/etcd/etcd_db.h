#pragma once
// EtcdDatabase: Debian's etcd-server on every node of the run, driven over SSH.
//
// Each node keeps everything in one directory (node_dir): `data/` (etcd's data dir),
// `etcd.log` and `etcd.pid`. etcd runs as a daemon (setsid, output to the log) started by a
// fixed script whose arguments are quoted words, listening on the node's address (client
// port 2379, peer port 2380), bootstrapped with the full initial cluster. The controller
// talks to each member's v3 JSON gateway directly (EtcdClient), so node addresses must be
// routable from the controller.
//
// etcd (Go) reads time through the vDSO, which libfaketime cannot reach: clock faults need
// the system clock strategy.

#include <memory>
#include <string>
#include <vector>

#include "adapters/db.h"

namespace faultline::adapters {

inline constexpr int kEtcdClientPort = 2379;
inline constexpr int kEtcdPeerPort = 2380;

class EtcdDatabase final : public Database {
 public:
  EtcdDatabase(remote::NodeSet& nodes, DatabaseOptions options);

  std::string name() const override { return "etcd"; }
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
  bool honours_faketime() const override { return false; }
  std::string faketime_note() const override {
    return "etcd reads time through the vDSO, which libfaketime cannot reach";
  }

  std::vector<std::string> primaries() override;
  void download_logs(const std::filesystem::path& dir) override;
  std::string version() override;

  std::unique_ptr<Client> client(const std::string& node, const ClientOptions& options) override;
  std::vector<std::string> workloads() const override { return {"bank", "register", "set"}; }

  // Where `node` keeps its data, log and pid file.
  static std::string node_dir(const remote::Node& node);

 private:
  void log(const std::string& line) const;
  std::string initial_cluster() const;
  remote::Command launch_command(const remote::Node& node, const char* mode) const;
  // One command on one node, as root, checked.
  void run(const std::string& node, const remote::Command& command);

  remote::NodeSet& nodes_;
  DatabaseOptions options_;
};

}  // namespace faultline::adapters
