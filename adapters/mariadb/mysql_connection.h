#pragma once
// MysqlConnection: one connection over the MySQL protocol (libmariadb, Debian's
// libmariadb-dev) to one server, for MariaDB or any MySQL-compatible endpoint. Every blocking
// call is bounded: connecting by MYSQL_OPT_CONNECT_TIMEOUT, each read and write on the socket
// by MYSQL_OPT_READ_TIMEOUT / MYSQL_OPT_WRITE_TIMEOUT (whole seconds, at least 1, from the
// connection's timeout), so a partitioned server cannot hang a client. libmariadb does not
// retry a timed-out read (libmysqlclient would, three times).
//
// classify_failure() holds the outcome rules (db.h, Jepsen's for MySQL): anything before
// COMMIT was sent is `fail` (the server rolls back a transaction whose session ends or whose
// statement failed; the client rolls back after a server error); at COMMIT, an error that
// certainly rolled back -- a deadlock 1213 (also how Galera reports a certification
// failure), a lock wait timeout 1205, 1180 "error during COMMIT", a node that is not part of
// the primary component 1047 -- is `fail`, while a lost connection, a timeout or any other
// error is `info`: the transaction may have committed.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "checker/history/operation.h"

struct st_mysql;

namespace faultline::adapters {

inline constexpr int kMariadbPort = 3306;

// The database every workload's table lives in, and the account clients use.
inline constexpr const char* kMariadbSchemaName = "faultline";
inline constexpr const char* kMariadbUser = "faultline";

struct MysqlEndpoint {
  std::string node, host;
  int port = kMariadbPort;
};

struct MysqlResult {
  enum class Status { kOk, kServerError, kConnectionLost, kNotConnected };
  Status status = Status::kNotConnected;
  std::vector<std::string> columns;                           // the result set's names
  std::vector<std::vector<std::optional<std::string>>> rows;  // NULL as nullopt
  long long affected = 0;   // rows an INSERT/UPDATE/DELETE touched (matched, see below)
  unsigned error_code = 0;  // the server's (1213) or the client library's (2013) error number
  std::string error;        // why not ok, for the history's `error`
  bool ok() const { return status == Status::kOk; }
  // The named column of row `row`; nullopt when absent or NULL.
  std::optional<std::string> cell(std::size_t row, const std::string& column) const;
};

class MysqlConnection {
 public:
  // `database` empty: none selected.
  MysqlConnection(MysqlEndpoint endpoint, std::chrono::milliseconds timeout,
                  std::string database = kMariadbSchemaName);
  ~MysqlConnection();
  MysqlConnection(const MysqlConnection&) = delete;
  MysqlConnection& operator=(const MysqlConnection&) = delete;

  const MysqlEndpoint& endpoint() const { return endpoint_; }
  bool connected() const { return conn_ != nullptr; }
  // Connects unless connected, then runs each of `session_sql` once. False with `error` set
  // when the connection cannot be made.
  bool connect(std::string* error, const std::vector<std::string>& session_sql = {});
  // Runs one statement. A lost connection (or a timeout, which libmariadb reports as one)
  // drops the connection (the next call reconnects); a server error keeps it. UPDATE's
  // `affected` counts matched rows (CLIENT_FOUND_ROWS), not changed ones.
  MysqlResult exec(const std::string& sql);
  void drop();

 private:
  MysqlEndpoint endpoint_;
  std::chrono::milliseconds timeout_;
  std::string database_;
  st_mysql* conn_ = nullptr;
};

// Where a transaction was when it went wrong.
enum class MysqlTxnPhase { kBeforeCommit, kCommit };

// The outcome of a transaction whose statement `result` (not ok) ended it at `phase`;
// `writes` is false for a read-only transaction (whose outcome cannot matter: fail).
OpType classify_mysql_failure(const MysqlResult& result, MysqlTxnPhase phase, bool writes);

// One statement on a fresh connection (no database selected); the first column of each row,
// or nullopt with `error`. For setup, health checks and the monitor.
std::optional<std::vector<std::string>> mysql_query(const MysqlEndpoint& at, const std::string& sql,
                                                    std::chrono::milliseconds timeout,
                                                    std::string* error = nullptr);

// `text` as a quoted SQL string literal ('it''s'), for values that are not integers.
std::string mysql_quote(const std::string& text);

}  // namespace faultline::adapters
