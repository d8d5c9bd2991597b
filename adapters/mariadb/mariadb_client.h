#pragma once
// MariadbClient: every workload against MariaDB (or any MySQL-compatible server) over
// libmariadb. Each operation is one transaction, START TRANSACTION ... COMMIT, at the
// session's isolation level (SET SESSION TRANSACTION ISOLATION LEVEL at connect), over a
// connection kept between operations and reconnected after a lost one. The tables live in
// the `faultline` database (kMariadbSchema; docs/mariadb.md):
//
//   register     read   SELECT v FROM registers WHERE k = key           -> null or the integer
//                write  INSERT ... ON DUPLICATE KEY UPDATE v = VALUE(v)
//                cas    UPDATE registers SET v = new WHERE k = key AND v = old (0 rows: fail)
//   set          add    INSERT INTO sets (e);  read: SELECT e FROM sets  -> [elements]
//   counter      add    UPDATE counters SET v = v + n WHERE k = 0;  read -> the integer
//   bank         init   upsert of every balance; transfer: read the source (fail
//                       "insufficient funds" if it would go negative), two UPDATEs; read: all
//   list-append  txn    ["append", k, v]: INSERT INTO lists ... ON DUPLICATE KEY UPDATE
//                       v = CONCAT(v, ',', VALUE(v));  ["r", k, null] -> [v ...] ([] if none)
//   rw-register  txn    ["w", k, v]: upsert into rw;  ["r", k, null] -> the value or null
//
// Where operations go. Galera (multi-primary): everything to the client's own node.
// Otherwise writes (and transactions that write) go to the topology's current primary, and
// read-only operations to `reads_from_replica` ? a replica (the client's own node unless it
// is the primary, else the first other node) : the primary. Final reads ("final": true) go to
// the client's own node. A completion's `node` is the node that served it.
//
// Outcomes (mysql_connection.h classify_mysql_failure): Jepsen's rules -- a deadlock 1213 or
// a certification failure is `fail`, a connection lost during COMMIT is `info`.

#include <map>
#include <memory>
#include <string>

#include "adapters/db.h"
#include "adapters/mariadb/mariadb_topology.h"
#include "adapters/mariadb/mysql_connection.h"

namespace faultline::adapters {

struct MariadbClientConfig {
  std::shared_ptr<const MariadbTopology> topology;
  std::string own;  // the client's node
  bool reads_from_replica = false;
  std::string isolation = "REPEATABLE READ";  // SQL words
};

// The statements that create the `faultline` database and every workload's table.
extern const char* const kMariadbSchema;

// "serializable" -> "SERIALIZABLE", "repeatable-read" -> "REPEATABLE READ",
// "read-committed" -> "READ COMMITTED", "read-uncommitted" -> "READ UNCOMMITTED"; empty
// for anything else.
std::string mariadb_isolation_sql(const std::string& setting);

class MariadbClient final : public Client {
 public:
  MariadbClient(MariadbClientConfig config, ClientOptions options);
  ~MariadbClient() override;
  Operation invoke(const Operation& op) override;

 private:
  MysqlConnection& connection(const std::string& node);

  MariadbClientConfig config_;
  ClientOptions options_;
  std::map<std::string, std::unique_ptr<MysqlConnection>> connections_;  // by node
};

}  // namespace faultline::adapters
