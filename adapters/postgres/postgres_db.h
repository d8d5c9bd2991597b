#pragma once
// PostgresDatabase: Debian's PostgreSQL on the run's nodes, driven over SSH. The first node
// is the primary; `replicas` of the others (default: all) are streaming hot standbys made
// with `pg_basebackup -R -X stream` once the primary runs. The primary never changes (no
// failover): a partition leaves standbys serving possibly stale reads.
//
// Each node keeps everything in one directory (node_dir): data/ (initdb as the postgres
// user; postgresql.conf and pg_hba.conf live there) and postgres.log (pg_ctl -l). The server
// listens on the node's address, port 5432, with its Unix socket in the node's directory
// (local-cluster nodes share one filesystem). pg_hba trusts, for clients and replication,
// the /24 of every node's address and the address the controller's SSH session comes from.
// fsync stays on.
//
// Settings (DatabaseOptions::settings, all optional):
//   isolation           serializable (default) | repeatable-read | read-committed
//   replicas            N standbys (0 .. nodes-1; default nodes-1)
//   read-from           primary (default) | standby: register and bank reads go to a standby
//   synchronous-commit  off | local | on | remote_apply; with on or remote_apply every
//                       standby is synchronous (synchronous_standby_names = 'FIRST N (...)'),
//                       so an acknowledged commit is flushed (on) or applied (remote_apply)
//                       on all of them. Unset: PostgreSQL's default (on, no synchronous
//                       standbys: asynchronous replication).
//
// Clock faults: every postmaster (and so its backends) runs under libfaketime with the node's
// clock control file, given by DatabaseOptions::faketime_environment, so the nemesis' faketime
// strategy shifts what now() returns on that node (the local cluster shares one kernel, where
// the system strategy is refused). Monotonic clocks stay real.

#include <memory>
#include <string>
#include <vector>

#include "adapters/db.h"
#include "adapters/postgres/pg_connection.h"

namespace faultline::adapters {

class PostgresDatabase final : public Database {
 public:
  // Throws DatabaseError for an unknown or malformed setting.
  PostgresDatabase(remote::NodeSet& nodes, DatabaseOptions options);

  std::string name() const override { return "postgres"; }
  void setup() override;
  void teardown() override;
  bool wait_healthy(std::chrono::milliseconds timeout) override;

  void start(const std::string& node) override;
  void kill(const std::string& node) override;
  void pause(const std::string& node) override;
  void resume(const std::string& node) override;
  void restart(const std::string& node) override;
  ProcessLocation process_location(const remote::Node& node) const override;
  remote::Command start_command(const remote::Node& node) const override;
  remote::Command restart_command(const remote::Node& node) const override;
  // Started under libfaketime when the options carry its environment (the controller's do).
  bool honours_faketime() const override {
    return static_cast<bool>(options_.faketime_environment);
  }
  std::string faketime_note() const override {
    return "PostgreSQL was set up without libfaketime's environment";
  }

  std::vector<std::string> primaries() override;
  void download_logs(const std::filesystem::path& dir) override;
  std::string version() override;

  std::unique_ptr<Client> client(const std::string& node, const ClientOptions& options) override;
  std::vector<std::string> workloads() const override {
    return {"bank", "list-append", "register", "rw-register"};
  }

  static std::string node_dir(const remote::Node& node);
  // What the isolation setting promises, in checker/txn's names: serializable ->
  // serializable, repeatable-read -> snapshot-isolation (PostgreSQL's REPEATABLE READ is
  // snapshot isolation: it allows write skew, G2-item), read-committed -> read-committed.
  static std::string promised_consistency_model(const std::map<std::string, std::string>& settings);
  // The standbys' node names (nodes 2 .. replicas+1).
  std::vector<std::string> standbys() const;
  // The nodes that run PostgreSQL: the primary, then the standbys.
  std::vector<std::string> servers() const;

 private:
  void log(const std::string& line) const;
  std::string config_lines(const remote::Node& node) const;
  std::string hba_text() const;
  PgEndpoint endpoint(const std::string& node) const;
  // kStart's arguments: the node's directory, `mode`, libfaketime's NAME=VALUE words.
  std::vector<std::string> start_args(const remote::Node& node, const std::string& mode) const;

  remote::NodeSet& nodes_;
  DatabaseOptions options_;
  std::string isolation_ = "serializable";
  std::size_t replicas_;
  bool read_from_standby_ = false;
  std::string synchronous_commit_;    // empty: PostgreSQL's default
  std::vector<std::string> trusted_;  // CIDRs pg_hba trusts
};

}  // namespace faultline::adapters
