// MariaDB's store descriptor (adapters/store.h).

#include <string>

#include "adapters/mariadb/mariadb_db.h"
#include "adapters/store.h"

namespace faultline::adapters {

StoreDescriptor mariadb_store() {
  auto two_when = [](const char* value) {
    return [value = std::string(value)](const std::string& v) -> std::size_t {
      return v == value ? 2 : 1;
    };
  };
  StoreDescriptor d;
  d.name = "mariadb";
  d.settings = {
      {"replication",
       {"async", "semi-sync", "galera"},
       "async: GTID replicas; semi-sync: a replica acknowledges each commit until the timeout; "
       "galera: every node a primary",
       two_when("semi-sync")},
      {"read-from",
       {"primary", "replica"},
       "replica: reads go to a replica, possibly stale",
       two_when("replica")},
      {"failover",
       {"none", "manual"},
       "manual: the most advanced replica is promoted",
       two_when("manual")},
      {"rpl_semi_sync_master_wait_point",
       {"AFTER_SYNC", "AFTER_COMMIT"},
       "when a semi-sync commit waits",
       {}},
      {"rpl_semi_sync_master_timeout",
       {"0", "100", "250", "500", "1000", "2000", "5000", "10000"},
       "ms before semi-sync falls back to asynchronous",
       {}},
      {"wsrep_sync_wait", {"0", "1", "3"}, "Galera: 1 and 3 make reads wait for the cluster", {}},
      {"isolation",
       {"serializable", "repeatable-read", "read-committed", "read-uncommitted"},
       "transactional workloads are judged against the level it names",
       {}},
      {"innodb_flush_log_at_trx_commit", {"0", "1", "2"}, "0, 2: commits not flushed to disk", {}},
      {"sync_binlog", {"0", "1"}, "1: the binlog is flushed at each commit", {}},
  };
  d.workloads = {"bank", "counter", "list-append", "register", "rw-register", "set"};
  d.honours_faketime = true;  // mariadbd runs under libfaketime
  d.promised_consistency_model = &MariadbDatabase::promised_consistency_model;
  d.make = [](remote::NodeSet& nodes, const DatabaseOptions& options) {
    return std::make_unique<MariadbDatabase>(nodes, options);
  };
  return d;
}

}  // namespace faultline::adapters
