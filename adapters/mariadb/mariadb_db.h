#pragma once
// MariadbDatabase: Debian's MariaDB 10.11 (mariadb-server) on the run's nodes, driven over
// SSH, in one of three topologies (the `replication` setting):
//   async      the first node is the primary, the others replicate it by GTID
//              (MASTER_USE_GTID=slave_pos), read_only; acknowledged commits may not have
//              reached any replica.
//   semi-sync  the same, with rpl_semi_sync_master_enabled: a commit waits (at
//              rpl_semi_sync_master_wait_point) until one replica has the transaction in its
//              relay log -- or until rpl_semi_sync_master_timeout, after which the primary
//              silently falls back to asynchronous replication (the monitor records it).
//   galera     galera-4: every node a primary (wsrep, certification-based replication); the
//              first node bootstraps the cluster (--wsrep-new-cluster), the others join by
//              rsync state transfer. Clients write to their own node.
//
// Each node keeps everything in one directory (node_dir): my.cnf, data/ (the datadir, made by
// mariadb-install-db), mysqld.sock, mysqld.pid and mariadb.log. mariadbd runs as mysql,
// listens on the node's address, port 3306, name resolution off. Clients log in as
// `faultline` (no password, from anywhere; no privilege to bypass read_only); setup and
// failover act as root over the node's Unix socket.
//
// Settings (DatabaseOptions::settings, all optional; docs/mariadb.md):
//   replication                      async (default) | semi-sync | galera
//   read-from                        primary (default) | replica   (async, semi-sync)
//   failover                         none (default) | manual       (async, semi-sync)
//   rpl_semi_sync_master_wait_point  AFTER_SYNC (default) | AFTER_COMMIT  (semi-sync)
//   rpl_semi_sync_master_timeout     ms before the fallback (default 1000)  (semi-sync)
//   wsrep_sync_wait                  0 (default) | 1 | 3           (galera)
//   isolation                        serializable | repeatable-read (default) |
//                                    read-committed | read-uncommitted
//   innodb_flush_log_at_trx_commit   0 | 1 (default) | 2
//   sync_binlog                      0 (default) | 1
//
// Clock faults: mariadbd runs under libfaketime with the node's clock control file
// (DatabaseOptions::faketime_environment): NOW() and SYSDATE() follow the offset. Galera's
// and replication's timeouts use the monotonic clock, which stays real.

#include <memory>
#include <string>
#include <vector>

#include "adapters/db.h"
#include "adapters/mariadb/mariadb_topology.h"

namespace faultline::adapters {

class MariadbMonitor;

class MariadbDatabase final : public Database {
 public:
  enum class Replication { kAsync, kSemiSync, kGalera };

  // Throws DatabaseError for an unknown or malformed setting.
  MariadbDatabase(remote::NodeSet& nodes, DatabaseOptions options);
  ~MariadbDatabase() override;

  std::string name() const override { return "mariadb"; }
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
  bool honours_faketime() const override {
    return static_cast<bool>(options_.faketime_environment);
  }
  std::string faketime_note() const override {
    return "MariaDB was set up without libfaketime's environment";
  }

  std::vector<std::string> primaries() override;
  void download_logs(const std::filesystem::path& dir) override;
  std::string version() override;
  void attach_history(HistoryRecord record) override;

  std::unique_ptr<Client> client(const std::string& node, const ClientOptions& options) override;
  std::vector<std::string> workloads() const override {
    return {"bank", "counter", "list-append", "register", "rw-register", "set"};
  }

  static std::string node_dir(const remote::Node& node);
  // What the isolation setting promises, in checker/txn's names (the level's own name).
  static std::string promised_consistency_model(const std::map<std::string, std::string>& settings);

  Replication replication() const { return replication_; }
  // Runs `sql` as root over `node`'s socket; its rows, tab-separated. Throws RemoteError
  // (also when `timeout` passes first).
  std::string admin_sql(const std::string& node, const std::string& sql,
                        std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  void log(const std::string& line) const;
  std::string config_text(const remote::Node& node, std::size_t index) const;
  std::string replicate_from_sql(const std::string& primary) const;
  remote::Command launch(const remote::Node& node, const char* mode) const;
  bool healthy_once(std::string* problem);

  remote::NodeSet& nodes_;
  DatabaseOptions options_;
  Replication replication_ = Replication::kAsync;
  bool read_from_replica_ = false;
  bool manual_failover_ = false;
  std::string wait_point_ = "AFTER_SYNC";
  long semi_sync_timeout_ms_ = 1000;
  int sync_wait_ = 0;
  std::string isolation_ = "repeatable-read";
  int flush_log_ = 1;
  int sync_binlog_ = 0;
  std::shared_ptr<MariadbTopology> topology_;
  std::unique_ptr<MariadbMonitor> monitor_;

  friend class MariadbMonitor;
};

}  // namespace faultline::adapters
