// The PostgreSQL client's outcome rules (adapters/postgres/pg_connection.h): what a user
// relies on when reading a history is that `fail` means "certainly did not commit" and
// `info` "may have committed". Also the isolation settings and what they promise.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "adapters/db.h"
#include "adapters/postgres/pg_connection.h"
#include "adapters/postgres/postgres_client.h"

namespace faultline::adapters {
namespace {

PgResult server_error(const std::string& sqlstate) {
  PgResult r;
  r.status = PgResult::Status::kServerError;
  r.sqlstate = sqlstate;
  r.error = "ERROR";
  return r;
}

PgResult broken(PgResult::Status status) {
  PgResult r;
  r.status = status;
  return r;
}

TEST(PostgresOutcome, SerializationFailuresAndDeadlocksAtCommitAreFailures) {
  EXPECT_EQ(classify_failure(server_error("40001"), TxnPhase::kCommit, true), OpType::kFail);
  EXPECT_EQ(classify_failure(server_error("40P01"), TxnPhase::kCommit, true), OpType::kFail);
  EXPECT_EQ(classify_failure(server_error("23505"), TxnPhase::kCommit, true), OpType::kFail);
  EXPECT_EQ(classify_failure(server_error("25P02"), TxnPhase::kCommit, true), OpType::kFail);
}

TEST(PostgresOutcome, ALostOrTimedOutCommitMayHaveCommitted) {
  EXPECT_EQ(classify_failure(broken(PgResult::Status::kConnectionLost), TxnPhase::kCommit, true),
            OpType::kInfo);
  EXPECT_EQ(classify_failure(broken(PgResult::Status::kTimeout), TxnPhase::kCommit, true),
            OpType::kInfo);
  // An error the client cannot place (e.g. the server shutting down) is not a refusal.
  EXPECT_EQ(classify_failure(server_error("57P01"), TxnPhase::kCommit, true), OpType::kInfo);
}

TEST(PostgresOutcome, AnythingBeforeCommitOrInAReadOnlyTransactionIsAFailure) {
  for (auto status : {PgResult::Status::kConnectionLost, PgResult::Status::kTimeout,
                      PgResult::Status::kNotConnected}) {
    EXPECT_EQ(classify_failure(broken(status), TxnPhase::kBeforeCommit, true), OpType::kFail);
    EXPECT_EQ(classify_failure(broken(status), TxnPhase::kCommit, false), OpType::kFail);
  }
  EXPECT_EQ(classify_failure(server_error("57014"), TxnPhase::kBeforeCommit, true), OpType::kFail);
}

TEST(PostgresOutcome, ACanceledSynchronousReplicationWaitIsRecognised) {
  EXPECT_TRUE(is_sync_replication_cancel(
      "WARNING:  canceling wait for synchronous replication due to user request"));
  EXPECT_FALSE(is_sync_replication_cancel("NOTICE:  relation \"lists\" already exists"));
}

TEST(PostgresOutcome, AConnectionNeverMadeIsAFailureAndSaysWhy) {
  // A port on loopback nobody listens on: find one by binding and closing.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(0x7f000063);  // 127.0.0.99: PostgreSQL's port unused there
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);

  ClientOptions options;
  options.workload = "list-append";
  PostgresClientConfig config;
  config.primary = config.reads = config.own = PgEndpoint{"n1", "127.0.0.99"};
  PostgresClient client(config, options);
  Operation op;
  op.f = "txn";
  op.process = 0;
  op.value = boost::json::array{boost::json::array{"append", 1, 7}};
  Operation done = client.invoke(op);
  EXPECT_EQ(done.type, OpType::kFail);
  ASSERT_TRUE(done.error.has_value());
  EXPECT_NE(boost::json::serialize(*done.error).find("connect"), std::string::npos);
  EXPECT_EQ(done.node, std::optional<std::string>("n1"));

  Operation bad = op;
  bad.f = "read";
  EXPECT_THROW(client.invoke(bad), std::invalid_argument);
}

TEST(PostgresSettings, IsolationLevelsAndWhatTheyPromise) {
  EXPECT_EQ(isolation_sql("serializable"), "SERIALIZABLE");
  EXPECT_EQ(isolation_sql("repeatable-read"), "REPEATABLE READ");
  EXPECT_EQ(isolation_sql("read-committed"), "READ COMMITTED");
  EXPECT_EQ(isolation_sql("snapshot"), "");
  EXPECT_EQ(promised_consistency_model("postgres", {}), "serializable");
  EXPECT_EQ(promised_consistency_model("postgres", {{"isolation", "repeatable-read"}}),
            "snapshot-isolation");
  EXPECT_EQ(promised_consistency_model("postgres", {{"isolation", "read-committed"}}),
            "read-committed");
  EXPECT_EQ(promised_consistency_model("etcd", {}), "");
}

}  // namespace
}  // namespace faultline::adapters
