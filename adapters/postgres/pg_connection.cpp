#include "adapters/postgres/pg_connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <memory>

namespace faultline::adapters {
namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

void on_notice(void* arg, const PGresult* result) {
  auto* notices = static_cast<std::vector<std::string>*>(arg);
  const char* text = PQresultErrorMessage(result);
  if (text && notices->size() < 16) notices->emplace_back(text);
}

std::string trimmed(const char* text) {
  std::string out = text ? text : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

PgConnection::PgConnection(PgEndpoint endpoint, std::chrono::milliseconds timeout)
    : endpoint_(std::move(endpoint)), timeout_(timeout) {}

PgConnection::~PgConnection() {
  drop();
}

void PgConnection::drop() {
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
}

bool PgConnection::connect(std::string* error) {
  if (conn_) return true;
  const std::string port = std::to_string(kPostgresPort);
  // libpq counts whole seconds and treats anything below 2 as 2.
  const std::string connect_timeout =
      std::to_string(std::max<long>(2, (timeout_.count() + 999) / 1000));
  const std::string options = "-c statement_timeout=" + std::to_string(timeout_.count());
  const char* keywords[] = {"host",
                            "port",
                            "user",
                            "dbname",
                            "options",
                            "connect_timeout",
                            "application_name",
                            "keepalives_idle",
                            nullptr};
  const char* values[] = {
      endpoint_.host.c_str(),  port.c_str(), "postgres", "postgres", options.c_str(),
      connect_timeout.c_str(), "faultline",  "5",        nullptr};
  conn_ = PQconnectdbParams(keywords, values, 0);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    if (error) *error = "connect: " + trimmed(conn_ ? PQerrorMessage(conn_) : "out of memory");
    drop();
    return false;
  }
  PQsetNoticeReceiver(conn_, on_notice, &notices_);
  return true;
}

PgResult PgConnection::exec(const std::string& sql, const std::vector<std::string>& params,
                            Clock::time_point deadline) {
  PgResult out;
  if (!conn_) {
    out.error = "not connected";
    return out;
  }
  auto lost = [&](PgResult::Status status, const std::string& why) {
    out.status = status;
    out.error = why;
    drop();
    return out;
  };
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  // Without parameters: the simple protocol (one round trip; several statements allowed).
  const int sent = values.empty()
                       ? PQsendQuery(conn_, sql.c_str())
                       : PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(values.size()),
                                           nullptr, values.data(), nullptr, nullptr, 0);
  if (!sent) {
    return lost(PgResult::Status::kConnectionLost, "send: " + trimmed(PQerrorMessage(conn_)));
  }
  while (PQisBusy(conn_)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return lost(PgResult::Status::kTimeout, "timed out");
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    int ready = ::poll(&fd, 1, static_cast<int>(std::min<long>(left.count(), 1'000'000)));
    if (ready < 0 && errno != EINTR) return lost(PgResult::Status::kConnectionLost, "poll failed");
    if (ready > 0 && !PQconsumeInput(conn_)) {
      return lost(PgResult::Status::kConnectionLost, trimmed(PQerrorMessage(conn_)));
    }
  }
  // One statement: one result, then null. Keep the last one (an error wins).
  ResultPtr last;
  while (PGresult* r = PQgetResult(conn_)) last.reset(r);
  if (!last) return lost(PgResult::Status::kConnectionLost, trimmed(PQerrorMessage(conn_)));
  switch (PQresultStatus(last.get())) {
    case PGRES_TUPLES_OK:
    case PGRES_COMMAND_OK: {
      out.status = PgResult::Status::kOk;
      const int rows = PQntuples(last.get()), cols = PQnfields(last.get());
      for (int i = 0; i < rows; ++i) {
        auto& row = out.rows.emplace_back();
        for (int j = 0; j < cols; ++j) {
          if (PQgetisnull(last.get(), i, j)) {
            row.emplace_back(std::nullopt);
          } else {
            row.emplace_back(std::string(PQgetvalue(last.get(), i, j),
                                         static_cast<std::size_t>(PQgetlength(last.get(), i, j))));
          }
        }
      }
      const char* affected = PQcmdTuples(last.get());
      out.affected = affected && *affected ? std::stol(affected) : 0;
      return out;
    }
    default: {
      const char* state = PQresultErrorField(last.get(), PG_DIAG_SQLSTATE);
      std::string message = trimmed(PQresultErrorMessage(last.get()));
      if (PQstatus(conn_) == CONNECTION_BAD) {
        out.sqlstate = state ? state : "";
        return lost(PgResult::Status::kConnectionLost, message);
      }
      out.status = PgResult::Status::kServerError;
      out.sqlstate = state ? state : "";
      out.error = message;
      return out;
    }
  }
}

std::vector<std::string> PgConnection::take_notices() {
  std::vector<std::string> out;
  out.swap(notices_);
  return out;
}

OpType classify_failure(const PgResult& result, TxnPhase phase, bool writes) {
  if (result.ok()) return OpType::kOk;
  if (phase == TxnPhase::kBeforeCommit || !writes) return OpType::kFail;
  if (result.status == PgResult::Status::kNotConnected) return OpType::kFail;
  if (result.status == PgResult::Status::kServerError) {
    const std::string& s = result.sqlstate;
    // Class 40 (transaction rollback: serialization failure, deadlock...), class 23
    // (a deferred constraint) and 25P02 (the transaction had already failed) roll back.
    if (s.rfind("40", 0) == 0 || s.rfind("23", 0) == 0 || s == "25P02") return OpType::kFail;
  }
  return OpType::kInfo;
}

bool is_sync_replication_cancel(const std::string& notice) {
  return notice.find("canceling wait for synchronous replication") != std::string::npos;
}

}  // namespace faultline::adapters
