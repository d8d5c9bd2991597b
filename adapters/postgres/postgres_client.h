#pragma once
// PostgresClient: every workload against PostgreSQL with libpq. Each operation is one
// transaction, `BEGIN ISOLATION LEVEL <isolation>` ... `COMMIT`, over a connection kept
// between operations (reconnected after a timeout or a lost connection).
//
//   register     read   SELECT v FROM registers WHERE k = $1         -> null or the integer
//                write  upsert of (k, v)
//                cas    UPDATE registers SET v = new WHERE k = $1 AND v = old (0 rows: fail)
//   bank         init   upsert of every balance; transfer: read the source's balance (fail
//                "insufficient funds" if it would go negative), two UPDATEs; read: every row
//   list-append  txn    ["append", k, v]: INSERT INTO lists ... ON CONFLICT (k) DO UPDATE
//                       SET v = lists.v || ',' || v;  ["r", k, null] -> [v ...] ([] if none)
//   rw-register  txn    ["w", k, v]: upsert into rw;  ["r", k, null] -> the value or null
//
// Writes go to the primary. Read-only operations (register and bank reads) go to the
// endpoint `reads` (the primary, or a standby with read-from=standby; a hot standby cannot
// run SERIALIZABLE, so reads there use REPEATABLE READ). Final reads ("final": true) go to
// the client's own node. A completion's `node` is the node that served it.
//
// Outcomes (pg_connection.h classify_failure): a connection never made, any error before
// COMMIT, a serialization failure or deadlock are `fail`; a COMMIT whose answer was lost
// or timed out is `info`, and so is a COMMIT that stopped waiting for synchronous
// replication (committed on the primary, not replicated as the mode promises).

#include <memory>
#include <string>

#include "adapters/db.h"
#include "adapters/postgres/pg_connection.h"

namespace faultline::adapters {

struct PostgresClientConfig {
  PgEndpoint primary;
  PgEndpoint reads;                        // read-only operations
  PgEndpoint own;                          // final reads
  std::string isolation = "SERIALIZABLE";  // SQL words, for BEGIN ISOLATION LEVEL
  std::string standby_isolation = "REPEATABLE READ";
};

// The SQL that creates every workload's table (run once on the primary at setup).
extern const char* const kPostgresSchema;

// "serializable" -> "SERIALIZABLE", "repeatable-read" -> "REPEATABLE READ",
// "read-committed" -> "READ COMMITTED"; empty for anything else.
std::string isolation_sql(const std::string& setting);

class PostgresClient final : public Client {
 public:
  PostgresClient(PostgresClientConfig config, ClientOptions options);
  ~PostgresClient() override;
  Operation invoke(const Operation& op) override;

 private:
  PgConnection& connection(const PgEndpoint& endpoint);

  PostgresClientConfig config_;
  ClientOptions options_;
  std::unique_ptr<PgConnection> primary_, other_;
};

}  // namespace faultline::adapters
