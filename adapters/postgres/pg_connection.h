#pragma once
// PgConnection: one libpq connection to one PostgreSQL server, with a deadline on every
// statement (libpq's blocking calls have none: a partitioned server would hang them). The
// server also cancels statements past `statement_timeout` (the connection's timeout), and
// connecting gives up after libpq's `connect_timeout` (whole seconds, at least 2).
//
// classify_failure() holds the outcome rules of a transaction that did not commit cleanly
// (db.h): anything before COMMIT was sent is `fail` (the server rolls back a transaction
// whose session ends); at COMMIT, an error that certainly rolled back (class 40 such as a
// serialization failure 40001 or a deadlock 40P01, class 23, 25P02) is `fail`, while a lost
// connection, a timeout or any other error is `info`: it may have committed.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "checker/history/operation.h"

struct pg_conn;

namespace faultline::adapters {

inline constexpr int kPostgresPort = 5432;

struct PgEndpoint {
  std::string node, host;
};

struct PgResult {
  enum class Status { kOk, kServerError, kTimeout, kConnectionLost, kNotConnected };
  Status status = Status::kNotConnected;
  std::vector<std::vector<std::optional<std::string>>> rows;  // tuples, NULL as nullopt
  long affected = 0;     // rows an INSERT/UPDATE/DELETE touched
  std::string sqlstate;  // kServerError: the SQLSTATE ("40001")
  std::string error;     // why not ok, for the history's `error`
  bool ok() const { return status == Status::kOk; }
};

class PgConnection {
 public:
  using Clock = std::chrono::steady_clock;

  PgConnection(PgEndpoint endpoint, std::chrono::milliseconds timeout);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  const PgEndpoint& endpoint() const { return endpoint_; }
  bool connected() const { return conn_ != nullptr; }
  // Connects unless connected. False with `error` set when the connection cannot be made.
  bool connect(std::string* error);
  // Runs one statement with text parameters ($1, $2, ...) (or, without parameters, any
  // number of statements; the last result counts), waiting at most until
  // `deadline`. A timeout or a lost connection drops the connection (the next call
  // reconnects); a server error keeps it.
  PgResult exec(const std::string& sql, const std::vector<std::string>& params,
                Clock::time_point deadline);
  void drop();
  // Warnings and notices the server sent since the last call (e.g. a canceled wait for
  // synchronous replication), then cleared.
  std::vector<std::string> take_notices();

 private:
  PgEndpoint endpoint_;
  std::chrono::milliseconds timeout_;
  pg_conn* conn_ = nullptr;
  std::vector<std::string> notices_;
};

// Where a transaction was when it went wrong.
enum class TxnPhase { kBeforeCommit, kCommit };

// The outcome of a transaction whose statement `result` (not ok) ended it at `phase`;
// `writes` is false for a read-only transaction (whose outcome cannot matter: fail).
OpType classify_failure(const PgResult& result, TxnPhase phase, bool writes);

// True for the notice PostgreSQL sends when a COMMIT stopped waiting for synchronous
// replication: committed locally, not (yet) replicated as promised.
bool is_sync_replication_cancel(const std::string& notice);

}  // namespace faultline::adapters
