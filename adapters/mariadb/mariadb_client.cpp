#include "adapters/mariadb/mariadb_client.h"

#include <charconv>
#include <stdexcept>
#include <thread>

namespace faultline::adapters {

const char* const kMariadbSchema =
    "CREATE DATABASE IF NOT EXISTS faultline;"
    "CREATE TABLE IF NOT EXISTS faultline.registers (k BIGINT PRIMARY KEY, v BIGINT) ENGINE=InnoDB;"
    "CREATE TABLE IF NOT EXISTS faultline.sets (e BIGINT PRIMARY KEY) ENGINE=InnoDB;"
    "CREATE TABLE IF NOT EXISTS faultline.counters (k INT PRIMARY KEY, v BIGINT NOT NULL) "
    "ENGINE=InnoDB;"
    "INSERT IGNORE INTO faultline.counters (k, v) VALUES (0, 0);"
    "CREATE TABLE IF NOT EXISTS faultline.accounts (id VARCHAR(64) PRIMARY KEY, "
    "balance BIGINT NOT NULL) ENGINE=InnoDB;"
    "CREATE TABLE IF NOT EXISTS faultline.lists (k BIGINT PRIMARY KEY, v MEDIUMTEXT NOT NULL) "
    "ENGINE=InnoDB;"
    "CREATE TABLE IF NOT EXISTS faultline.rw (k BIGINT PRIMARY KEY, v BIGINT) ENGINE=InnoDB;";

std::string mariadb_isolation_sql(const std::string& setting) {
  if (setting == "serializable") return "SERIALIZABLE";
  if (setting == "repeatable-read") return "REPEATABLE READ";
  if (setting == "read-committed") return "READ COMMITTED";
  if (setting == "read-uncommitted") return "READ UNCOMMITTED";
  return {};
}

namespace {

constexpr std::chrono::milliseconds kConnectBackoff{100};

// A statement failed: the transaction ends here.
struct StatementFailed {
  MysqlResult result;
  MysqlTxnPhase phase;
};

// The client's own refusal (a failed compare, insufficient funds): rolled back, `fail`.
struct Refused {
  std::string why;
};

class Transaction {
 public:
  explicit Transaction(MysqlConnection& c) : c_(c) {}
  MysqlResult run(const std::string& sql) {
    MysqlResult r = c_.exec(sql);
    if (!r.ok()) throw StatementFailed{std::move(r), MysqlTxnPhase::kBeforeCommit};
    return r;
  }
  void commit() {
    MysqlResult r = c_.exec("COMMIT");
    if (!r.ok()) throw StatementFailed{std::move(r), MysqlTxnPhase::kCommit};
  }

 private:
  MysqlConnection& c_;
};

// An integer of the history as SQL; throws invalid_argument for anything else (values are
// pasted into statements, so only integers pass).
std::string sql_int(const boost::json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  throw std::invalid_argument("mariadb: expected an integer, not " + boost::json::serialize(v));
}

std::string sql_text(const boost::json::value& v) {
  if (v.is_string()) return mysql_quote(std::string(v.get_string()));
  return mysql_quote(boost::json::serialize(v));
}

boost::json::value parse_cell(std::string_view text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc() && end == text.data() + text.size()) return n;
  return boost::json::string(text);
}

// The first column of the first row; null when there is no row or it is NULL.
boost::json::value first_cell(const MysqlResult& r) {
  if (r.rows.empty() || r.rows.front().empty() || !r.rows.front().front()) return nullptr;
  return parse_cell(*r.rows.front().front());
}

// A comma-separated list cell as [elements]; [] when there is no row.
boost::json::array list_cell(const MysqlResult& r) {
  boost::json::array out;
  if (r.rows.empty() || !r.rows.front().front()) return out;
  std::string_view rest = *r.rows.front().front();
  for (std::size_t comma; !rest.empty(); rest.remove_prefix(comma + 1)) {
    comma = rest.find(',');
    out.push_back(parse_cell(rest.substr(0, comma)));
    if (comma == std::string_view::npos) break;
  }
  return out;
}

// True unless every micro-op of a txn reads (or the operation is a read).
bool writes(const Operation& op) {
  if (op.f != "txn") return op.f != "read";
  if (!op.value.is_array()) return false;
  for (const auto& m : op.value.get_array()) {
    const auto* a = m.if_array();
    if (a && !a->empty() && (*a)[0].is_string() && (*a)[0].get_string() != "r") return true;
  }
  return false;
}

// [f, key, value] triples with f "r" or `write_f`; throws invalid_argument otherwise.
const boost::json::array& checked_micro_ops(const Operation& op, const char* write_f) {
  if (!op.value.is_array()) throw std::invalid_argument("mariadb: a txn's value must be a list");
  for (const auto& m : op.value.get_array()) {
    const auto* a = m.if_array();
    if (!a || a->size() != 3 || !(*a)[0].is_string() ||
        ((*a)[0].get_string() != "r" && (*a)[0].get_string() != write_f)) {
      throw std::invalid_argument("mariadb: malformed micro-op " + boost::json::serialize(m));
    }
  }
  return op.value.get_array();
}

void register_body(Transaction& t, const Operation& op, Operation& done) {
  const std::string key = op.key ? sql_int(*op.key) : "0";
  if (op.f == "read") {
    done.value = first_cell(t.run("SELECT v FROM registers WHERE k = " + key));
  } else if (op.f == "write") {
    t.run("INSERT INTO registers (k, v) VALUES (" + key + ", " + sql_int(op.value) +
          ") ON DUPLICATE KEY UPDATE v = VALUE(v)");
  } else if (op.f == "cas" && op.value.is_array() && op.value.get_array().size() == 2) {
    const auto& pair = op.value.get_array();
    MysqlResult r = t.run("UPDATE registers SET v = " + sql_int(pair[1]) + " WHERE k = " + key +
                          " AND v = " + sql_int(pair[0]));
    if (r.affected != 1) throw Refused{"compare failed"};
  } else {
    throw std::invalid_argument("mariadb: no register operation '" + op.f + "'");
  }
}

void set_body(Transaction& t, const Operation& op, Operation& done) {
  if (op.f == "read") {
    boost::json::array elements;
    for (const auto& row : t.run("SELECT e FROM sets ORDER BY e").rows) {
      if (!row.empty() && row[0]) elements.push_back(parse_cell(*row[0]));
    }
    done.value = std::move(elements);
  } else if (op.f == "add") {
    t.run("INSERT INTO sets (e) VALUES (" + sql_int(op.value) + ")");
  } else {
    throw std::invalid_argument("mariadb: no set operation '" + op.f + "'");
  }
}

void counter_body(Transaction& t, const Operation& op, Operation& done) {
  if (op.f == "read") {
    boost::json::value v = first_cell(t.run("SELECT v FROM counters WHERE k = 0"));
    done.value = v.is_null() ? boost::json::value(0) : v;
  } else if (op.f == "add") {
    MysqlResult r = t.run("UPDATE counters SET v = v + " + sql_int(op.value) + " WHERE k = 0");
    if (r.affected != 1) throw Refused{"no counter row"};
  } else {
    throw std::invalid_argument("mariadb: no counter operation '" + op.f + "'");
  }
}

void bank_body(Transaction& t, const Operation& op, Operation& done) {
  if (op.f == "read") {
    boost::json::object balances;
    for (const auto& row : t.run("SELECT id, balance FROM accounts ORDER BY id").rows) {
      if (row.size() == 2 && row[0] && row[1]) balances[*row[0]] = parse_cell(*row[1]);
    }
    done.value = std::move(balances);
  } else if (op.f == "init" && op.value.is_object()) {
    for (const auto& [account, balance] : op.value.get_object()) {
      t.run("INSERT INTO accounts (id, balance) VALUES (" + mysql_quote(std::string(account)) +
            ", " + sql_int(balance) + ") ON DUPLICATE KEY UPDATE balance = VALUE(balance)");
    }
  } else if (op.f == "transfer" && op.value.is_object()) {
    const auto& transfer = op.value.get_object();
    const auto *from = transfer.if_contains("from"), *to = transfer.if_contains("to"),
               *amount = transfer.if_contains("amount");
    if (!from || !to || !amount) throw std::invalid_argument("mariadb: malformed transfer");
    const std::string source = sql_text(*from), target = sql_text(*to), n = sql_int(*amount);
    boost::json::value balance =
        first_cell(t.run("SELECT balance FROM accounts WHERE id = " + source));
    if (!balance.is_int64()) throw Refused{"no account " + boost::json::serialize(*from)};
    if (balance.get_int64() < amount->to_number<std::int64_t>())
      throw Refused{"insufficient funds"};
    t.run("UPDATE accounts SET balance = balance - " + n + " WHERE id = " + source);
    t.run("UPDATE accounts SET balance = balance + " + n + " WHERE id = " + target);
  } else {
    throw std::invalid_argument("mariadb: no bank operation '" + op.f + "'");
  }
}

void list_append_body(Transaction& t, const Operation& op, Operation& done) {
  boost::json::array out;
  for (const auto& m : checked_micro_ops(op, "append")) {
    const auto& a = m.get_array();
    const std::string key = sql_int(a[1]);
    if (a[0].get_string() == "r") {
      out.push_back(
          boost::json::array{"r", a[1], list_cell(t.run("SELECT v FROM lists WHERE k = " + key))});
    } else {
      t.run("INSERT INTO lists (k, v) VALUES (" + key + ", '" + sql_int(a[2]) +
            "') ON DUPLICATE KEY UPDATE v = CONCAT(v, ',', VALUE(v))");
      out.push_back(m);
    }
  }
  done.value = std::move(out);
}

void rw_register_body(Transaction& t, const Operation& op, Operation& done) {
  boost::json::array out;
  for (const auto& m : checked_micro_ops(op, "w")) {
    const auto& a = m.get_array();
    const std::string key = sql_int(a[1]);
    if (a[0].get_string() == "r") {
      out.push_back(
          boost::json::array{"r", a[1], first_cell(t.run("SELECT v FROM rw WHERE k = " + key))});
    } else {
      t.run("INSERT INTO rw (k, v) VALUES (" + key + ", " + sql_int(a[2]) +
            ") ON DUPLICATE KEY UPDATE v = VALUE(v)");
      out.push_back(m);
    }
  }
  done.value = std::move(out);
}

using Body = void (*)(Transaction&, const Operation&, Operation&);

Body body_of(const std::string& workload) {
  if (workload == "register") return register_body;
  if (workload == "set") return set_body;
  if (workload == "counter") return counter_body;
  if (workload == "bank") return bank_body;
  if (workload == "list-append") return list_append_body;
  if (workload == "rw-register") return rw_register_body;
  return nullptr;
}

}  // namespace

MariadbClient::MariadbClient(MariadbClientConfig config, ClientOptions options)
    : config_(std::move(config)), options_(std::move(options)) {}

MariadbClient::~MariadbClient() = default;

MysqlConnection& MariadbClient::connection(const std::string& node) {
  auto& slot = connections_[node];
  if (!slot) {
    slot = std::make_unique<MysqlConnection>(config_.topology->endpoint(node), options_.timeout);
  }
  return *slot;
}

Operation MariadbClient::invoke(const Operation& op) {
  const std::string& w = options_.workload;
  Body body = body_of(w);
  if (!body) throw std::invalid_argument("mariadb: no workload '" + w + "'");
  if ((w == "list-append" || w == "rw-register") != (op.f == "txn")) {
    throw std::invalid_argument("mariadb: no operation '" + op.f + "' in workload '" + w + "'");
  }

  const bool writing = writes(op);
  const auto* final_flag = op.extra.if_contains("final");
  const bool final_read = !writing && final_flag && final_flag->is_bool() && final_flag->get_bool();
  const MariadbTopology& topology = *config_.topology;
  std::string target = config_.own;
  if (!final_read && !topology.multi_primary()) {
    const std::string primary = topology.primary();
    target = primary;
    if (!writing && config_.reads_from_replica && topology.nodes().size() > 1) {
      target = config_.own;
      if (target == primary) {
        for (const auto& e : topology.nodes()) {
          if (e.node != primary) {
            target = e.node;
            break;
          }
        }
      }
    }
  }

  Operation done = op;
  done.node = target;
  auto outcome = [&](OpType type, const std::string& error) {
    done.type = type;
    done.value = op.value;
    done.error = boost::json::value(error);
    return done;
  };
  MysqlConnection& c = connection(target);
  std::string error;
  if (!c.connect(&error, {"SET SESSION TRANSACTION ISOLATION LEVEL " + config_.isolation})) {
    // A refused connection comes back at once: pause, so that a worker does not spin
    // through thousands of failed operations while a node is down.
    std::this_thread::sleep_for(
        std::min<std::chrono::milliseconds>(options_.timeout, kConnectBackoff));
    return outcome(OpType::kFail, error);
  }
  Transaction t(c);
  try {
    t.run("START TRANSACTION");
    body(t, op, done);
    t.commit();
  } catch (const StatementFailed& f) {
    if (c.connected() && !c.exec("ROLLBACK").ok()) c.drop();
    std::string why =
        f.phase == MysqlTxnPhase::kCommit ? "COMMIT: " + f.result.error : f.result.error;
    return outcome(classify_mysql_failure(f.result, f.phase, writing), why);
  } catch (const Refused& r) {
    if (!c.exec("ROLLBACK").ok()) c.drop();
    return outcome(OpType::kFail, r.why);
  }
  done.type = OpType::kOk;
  done.error.reset();
  return done;
}

}  // namespace faultline::adapters
