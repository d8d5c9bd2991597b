#include "adapters/mariadb/mysql_connection.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <algorithm>
#include <mutex>

namespace faultline::adapters {
namespace {

unsigned whole_seconds(std::chrono::milliseconds t) {
  return static_cast<unsigned>(std::max<long long>(1, (t.count() + 999) / 1000));
}

// mysql_library_init is not thread-safe; mysql_init calls it on first use.
void library_init() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

bool is_connection_error(unsigned code) {
  return code == CR_SERVER_LOST || code == CR_SERVER_GONE_ERROR || code == CR_CONNECTION_ERROR ||
         code == CR_CONN_HOST_ERROR || code == CR_SERVER_LOST_EXTENDED ||
         code == CR_UNKNOWN_ERROR || code == CR_COMMANDS_OUT_OF_SYNC;
}

}  // namespace

MysqlConnection::MysqlConnection(MysqlEndpoint endpoint, std::chrono::milliseconds timeout,
                                 std::string database)
    : endpoint_(std::move(endpoint)), timeout_(timeout), database_(std::move(database)) {}

MysqlConnection::~MysqlConnection() {
  drop();
}

void MysqlConnection::drop() {
  if (conn_) mysql_close(conn_);
  conn_ = nullptr;
}

bool MysqlConnection::connect(std::string* error, const std::vector<std::string>& session_sql) {
  if (conn_) return true;
  library_init();
  MYSQL* m = mysql_init(nullptr);
  if (!m) {
    if (error) *error = "out of memory";
    return false;
  }
  unsigned seconds = whole_seconds(timeout_);
  mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
  mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &seconds);
  mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &seconds);
  const char* db = database_.empty() ? nullptr : database_.c_str();
  if (!mysql_real_connect(m, endpoint_.host.c_str(), kMariadbUser, "", db,
                          static_cast<unsigned>(endpoint_.port), nullptr, CLIENT_FOUND_ROWS)) {
    if (error) *error = std::to_string(mysql_errno(m)) + ": " + mysql_error(m);
    mysql_close(m);
    return false;
  }
  conn_ = m;
  for (const std::string& sql : session_sql) {
    MysqlResult r = exec(sql);
    if (!r.ok()) {
      if (error) *error = sql + ": " + r.error;
      drop();
      return false;
    }
  }
  return true;
}

MysqlResult MysqlConnection::exec(const std::string& sql) {
  MysqlResult r;
  if (!conn_) {
    r.error = "not connected";
    return r;
  }
  auto failed = [&] {
    r.error_code = mysql_errno(conn_);
    r.error = std::to_string(r.error_code) + ": " + mysql_error(conn_);
    if (is_connection_error(r.error_code) || r.error_code >= 2000) {
      r.status = MysqlResult::Status::kConnectionLost;
      drop();
    } else {
      r.status = MysqlResult::Status::kServerError;
    }
    return r;
  };
  if (mysql_real_query(conn_, sql.data(), static_cast<unsigned long>(sql.size())) != 0)
    return failed();
  MYSQL_RES* res = mysql_store_result(conn_);
  if (res) {
    const unsigned columns = mysql_num_fields(res);
    MYSQL_FIELD* fields = mysql_fetch_fields(res);
    for (unsigned i = 0; i < columns; ++i) r.columns.emplace_back(fields[i].name);
    while (MYSQL_ROW row = mysql_fetch_row(res)) {
      unsigned long* lengths = mysql_fetch_lengths(res);
      std::vector<std::optional<std::string>> out;
      for (unsigned i = 0; i < columns; ++i) {
        if (row[i]) {
          out.emplace_back(std::string(row[i], lengths[i]));
        } else {
          out.emplace_back(std::nullopt);
        }
      }
      r.rows.push_back(std::move(out));
    }
    mysql_free_result(res);
  } else if (mysql_field_count(conn_) != 0) {
    return failed();  // a result set was due but could not be read
  } else {
    r.affected = static_cast<long long>(mysql_affected_rows(conn_));
  }
  r.status = MysqlResult::Status::kOk;
  return r;
}

std::optional<std::string> MysqlResult::cell(std::size_t row, const std::string& column) const {
  if (row >= rows.size()) return std::nullopt;
  for (std::size_t i = 0; i < columns.size() && i < rows[row].size(); ++i) {
    if (columns[i] == column) return rows[row][i];
  }
  return std::nullopt;
}

OpType classify_mysql_failure(const MysqlResult& result, MysqlTxnPhase phase, bool writes) {
  if (!writes || phase == MysqlTxnPhase::kBeforeCommit) return OpType::kFail;
  if (result.status == MysqlResult::Status::kServerError) {
    switch (result.error_code) {
      case ER_LOCK_DEADLOCK:        // 1213; Galera's certification failure too
      case ER_LOCK_WAIT_TIMEOUT:    // 1205
      case ER_ERROR_DURING_COMMIT:  // 1180
      case ER_UNKNOWN_COM_ERROR:    // 1047: WSREP has not yet prepared node for application use
        return OpType::kFail;
      default:
        return OpType::kInfo;
    }
  }
  return result.status == MysqlResult::Status::kNotConnected ? OpType::kFail : OpType::kInfo;
}

std::optional<std::vector<std::string>> mysql_query(const MysqlEndpoint& at, const std::string& sql,
                                                    std::chrono::milliseconds timeout,
                                                    std::string* error) {
  MysqlConnection c(at, timeout, "");
  if (!c.connect(error)) return std::nullopt;
  MysqlResult r = c.exec(sql);
  if (!r.ok()) {
    if (error) *error = r.error;
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& row : r.rows) out.push_back(row.empty() || !row[0] ? "" : *row[0]);
  return out;
}

std::string mysql_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "''";
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace faultline::adapters
