#pragma once
// RedisDatabase: Debian's redis-server on every node: the first node is the primary, the
// others replicate it (`replicaof`), asynchronously as Redis does. Without Sentinel the
// primary never changes, so a partition leaves replicas serving stale reads
// (replica-serve-stale-data is on by default) while writes keep going to the primary. With
// "failover" = "sentinel", a redis-sentinel on every node promotes a replica when the
// primary is cut off, and clients follow (redis_sentinel.h).
//
// Each node keeps everything in one directory (node_dir): redis.pid, redis.log and its dump
// (and sentinel.conf, sentinel.pid, sentinel.log with Sentinel).
// redis-server daemonizes itself, bound to the node's address, protected mode off, no
// persistence, `--repl-diskless-sync-delay 0` (replicas sync at once).
//
// Settings (DatabaseOptions::settings): "read-from" = "primary" (default) | "replica";
// "wait" = N: after each write, WAIT for N replicas (outcome info when fewer acknowledge);
// "failover" = "none" (default) | "sentinel".
// libfaketime hangs Debian's redis-server at start: clock faults need the system clock.

#include <memory>
#include <string>
#include <vector>

#include "adapters/db.h"

namespace faultline::adapters {

class RedisDatabase final : public Database {
 public:
  // Throws DatabaseError for an unknown or malformed setting.
  RedisDatabase(remote::NodeSet& nodes, DatabaseOptions options);

  std::string name() const override { return "redis"; }
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
    return "Debian's redis-server hangs at start under libfaketime";
  }

  std::vector<std::string> primaries() override;
  void download_logs(const std::filesystem::path& dir) override;
  std::string version() override;

  std::unique_ptr<Client> client(const std::string& node, const ClientOptions& options) override;
  std::vector<std::string> workloads() const override { return {"counter", "register", "set"}; }

  static std::string node_dir(const remote::Node& node);

 private:
  void log(const std::string& line) const;
  void run(const std::string& node, const remote::Command& command);
  remote::Command launch_command(const remote::Node& node, const char* mode) const;
  void start_sentinels();

  remote::NodeSet& nodes_;
  DatabaseOptions options_;
  bool read_from_replica_ = false;
  int wait_replicas_ = 0;
  bool sentinel_ = false;
};

}  // namespace faultline::adapters
