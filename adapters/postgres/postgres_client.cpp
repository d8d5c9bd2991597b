#include "adapters/postgres/postgres_client.h"

#include <charconv>
#include <stdexcept>
#include <thread>

namespace faultline::adapters {

const char* const kPostgresSchema =
    "CREATE TABLE IF NOT EXISTS registers (k bigint PRIMARY KEY, v bigint);"
    "CREATE TABLE IF NOT EXISTS accounts (id text PRIMARY KEY, balance bigint NOT NULL);"
    "CREATE TABLE IF NOT EXISTS lists (k bigint PRIMARY KEY, v text NOT NULL);"
    "CREATE TABLE IF NOT EXISTS rw (k bigint PRIMARY KEY, v bigint);";

std::string isolation_sql(const std::string& setting) {
  if (setting == "serializable") return "SERIALIZABLE";
  if (setting == "repeatable-read") return "REPEATABLE READ";
  if (setting == "read-committed") return "READ COMMITTED";
  return {};
}

namespace {

using Clock = PgConnection::Clock;
constexpr std::chrono::milliseconds kConnectBackoff{100};

// A statement failed: the transaction ends here.
struct TxnFailed {
  PgResult result;
  TxnPhase phase;
};

// A refusal decided by the client itself (e.g. insufficient funds): rolled back, `fail`.
struct TxnRefused {
  std::string why;
};

class Txn {
 public:
  Txn(PgConnection& connection, Clock::time_point deadline)
      : connection_(connection), deadline_(deadline) {}
  PgResult run(const std::string& sql, const std::vector<std::string>& params = {}) {
    PgResult r = connection_.exec(sql, params, deadline_);
    if (!r.ok()) throw TxnFailed{std::move(r), TxnPhase::kBeforeCommit};
    return r;
  }
  void commit() {
    PgResult r = connection_.exec("COMMIT", {}, deadline_);
    if (!r.ok()) throw TxnFailed{std::move(r), TxnPhase::kCommit};
  }

 private:
  PgConnection& connection_;
  Clock::time_point deadline_;
};

std::string text_of(const boost::json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_string()) return std::string(v.get_string());
  return boost::json::serialize(v);
}

boost::json::value value_of(std::string_view text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc() && end == text.data() + text.size()) return n;
  return boost::json::string(text);
}

// The single column of the single row, or null when there is no row.
boost::json::value scalar(const PgResult& r) {
  if (r.rows.empty() || r.rows.front().empty() || !r.rows.front().front()) return nullptr;
  return value_of(*r.rows.front().front());
}

boost::json::array list_of(const PgResult& r) {
  boost::json::array out;
  if (r.rows.empty() || !r.rows.front().front()) return out;
  std::string_view text = *r.rows.front().front();
  while (!text.empty()) {
    std::size_t comma = text.find(',');
    out.push_back(value_of(text.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

bool is_write(const Operation& op) {
  if (op.f != "txn") return op.f != "read";
  if (!op.value.is_array()) return false;
  for (const auto& m : op.value.get_array()) {
    if (m.is_array() && !m.get_array().empty() && m.get_array()[0].is_string() &&
        m.get_array()[0].get_string() != "r") {
      return true;
    }
  }
  return false;
}

// The micro-ops of a txn invocation as [f, key, value] triples; throws invalid_argument.
const boost::json::array& micro_ops(const Operation& op, const char* write_f) {
  if (!op.value.is_array()) throw std::invalid_argument("postgres: a txn's value must be a list");
  for (const auto& m : op.value.get_array()) {
    const auto* a = m.if_array();
    if (!a || a->size() != 3 || !(*a)[0].is_string() ||
        ((*a)[0].get_string() != "r" && (*a)[0].get_string() != write_f)) {
      throw std::invalid_argument("postgres: malformed micro-op " + boost::json::serialize(m));
    }
  }
  return op.value.get_array();
}

void register_op(Txn& txn, const Operation& op, Operation& done) {
  const std::string key = op.key ? text_of(*op.key) : "0";
  if (op.f == "read") {
    done.value = scalar(txn.run("SELECT v FROM registers WHERE k = $1", {key}));
  } else if (op.f == "write") {
    txn.run(
        "INSERT INTO registers (k, v) VALUES ($1, $2) "
        "ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v",
        {key, text_of(op.value)});
  } else if (op.f == "cas" && op.value.is_array() && op.value.get_array().size() == 2) {
    PgResult r = txn.run("UPDATE registers SET v = $3 WHERE k = $1 AND v = $2",
                         {key, text_of(op.value.get_array()[0]), text_of(op.value.get_array()[1])});
    if (r.affected != 1) throw TxnRefused{"compare failed"};
  } else {
    throw std::invalid_argument("postgres: no register operation '" + op.f + "'");
  }
}

void bank_op(Txn& txn, const Operation& op, Operation& done) {
  if (op.f == "read") {
    boost::json::object balances;
    for (const auto& row : txn.run("SELECT id, balance FROM accounts ORDER BY id").rows) {
      if (row.size() == 2 && row[0] && row[1]) balances[*row[0]] = value_of(*row[1]);
    }
    done.value = std::move(balances);
  } else if (op.f == "init" && op.value.is_object()) {
    for (const auto& [account, balance] : op.value.get_object()) {
      txn.run(
          "INSERT INTO accounts (id, balance) VALUES ($1, $2) "
          "ON CONFLICT (id) DO UPDATE SET balance = EXCLUDED.balance",
          {std::string(account), text_of(balance)});
    }
  } else if (op.f == "transfer" && op.value.is_object()) {
    const auto& t = op.value.get_object();
    const auto *from = t.if_contains("from"), *to = t.if_contains("to"),
               *amount = t.if_contains("amount");
    if (!from || !to || !amount) throw std::invalid_argument("postgres: malformed transfer");
    boost::json::value balance =
        scalar(txn.run("SELECT balance FROM accounts WHERE id = $1", {text_of(*from)}));
    if (!balance.is_int64()) throw TxnRefused{"no account " + text_of(*from)};
    if (!amount->is_int64() || balance.get_int64() < amount->get_int64()) {
      throw TxnRefused{"insufficient funds"};
    }
    txn.run("UPDATE accounts SET balance = balance - $2 WHERE id = $1",
            {text_of(*from), text_of(*amount)});
    txn.run("UPDATE accounts SET balance = balance + $2 WHERE id = $1",
            {text_of(*to), text_of(*amount)});
  } else {
    throw std::invalid_argument("postgres: no bank operation '" + op.f + "'");
  }
}

void list_append_op(Txn& txn, const Operation& op, Operation& done) {
  boost::json::array out;
  for (const auto& m : micro_ops(op, "append")) {
    const auto& a = m.get_array();
    const std::string key = text_of(a[1]);
    if (a[0].get_string() == "r") {
      out.push_back(boost::json::array{
          "r", a[1], list_of(txn.run("SELECT v FROM lists WHERE k = $1", {key}))});
    } else {
      txn.run(
          "INSERT INTO lists (k, v) VALUES ($1, $2) "
          "ON CONFLICT (k) DO UPDATE SET v = lists.v || ',' || EXCLUDED.v",
          {key, text_of(a[2])});
      out.push_back(m);
    }
  }
  done.value = std::move(out);
}

void rw_register_op(Txn& txn, const Operation& op, Operation& done) {
  boost::json::array out;
  for (const auto& m : micro_ops(op, "w")) {
    const auto& a = m.get_array();
    const std::string key = text_of(a[1]);
    if (a[0].get_string() == "r") {
      out.push_back(
          boost::json::array{"r", a[1], scalar(txn.run("SELECT v FROM rw WHERE k = $1", {key}))});
    } else {
      txn.run("INSERT INTO rw (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v",
              {key, text_of(a[2])});
      out.push_back(m);
    }
  }
  done.value = std::move(out);
}

}  // namespace

PostgresClient::PostgresClient(PostgresClientConfig config, ClientOptions options)
    : config_(std::move(config)), options_(std::move(options)) {}

PostgresClient::~PostgresClient() = default;

PgConnection& PostgresClient::connection(const PgEndpoint& endpoint) {
  auto& slot = endpoint.node == config_.primary.node ? primary_ : other_;
  if (slot && slot->endpoint().node != endpoint.node) slot.reset();
  if (!slot) slot = std::make_unique<PgConnection>(endpoint, options_.timeout);
  return *slot;
}

Operation PostgresClient::invoke(const Operation& op) {
  const std::string& w = options_.workload;
  void (*body)(Txn&, const Operation&, Operation&) = w == "register"      ? register_op
                                                     : w == "bank"        ? bank_op
                                                     : w == "list-append" ? list_append_op
                                                     : w == "rw-register" ? rw_register_op
                                                                          : nullptr;
  if (!body) throw std::invalid_argument("postgres: no workload '" + w + "'");
  if ((w == "list-append" || w == "rw-register") != (op.f == "txn")) {
    throw std::invalid_argument("postgres: no operation '" + op.f + "' in workload '" + w + "'");
  }

  const bool writes = is_write(op);
  const auto* final_flag = op.extra.if_contains("final");
  const bool final_read = !writes && final_flag && final_flag->is_bool() && final_flag->get_bool();
  const PgEndpoint& target = final_read       ? config_.own
                             : writes         ? config_.primary
                             : op.f == "read" ? config_.reads
                                              : config_.primary;
  const std::string& isolation =
      target.node == config_.primary.node ? config_.isolation : config_.standby_isolation;

  Operation done = op;
  done.node = target.node;
  auto outcome = [&](OpType type, const std::string& error) {
    done.type = type;
    done.value = op.value;
    done.error = boost::json::value(error);
    return done;
  };
  PgConnection& c = connection(target);
  std::string error;
  if (!c.connect(&error)) {
    // A refused connection comes back at once: pause, so that a worker does not spin
    // through thousands of failed operations while a node is down.
    std::this_thread::sleep_for(
        std::min<std::chrono::milliseconds>(options_.timeout, kConnectBackoff));
    return outcome(OpType::kFail, error);
  }
  c.take_notices();
  const auto deadline = Clock::now() + options_.timeout;
  Txn txn(c, deadline);
  try {
    txn.run("BEGIN ISOLATION LEVEL " + isolation);
    body(txn, op, done);
    txn.commit();
  } catch (const TxnFailed& f) {
    if (c.connected()) {
      // The transaction is aborted on the server; end it, or drop the connection.
      if (!c.exec("ROLLBACK", {}, Clock::now() + options_.timeout).ok()) c.drop();
    }
    std::string why =
        f.result.sqlstate.empty() ? f.result.error : f.result.sqlstate + ": " + f.result.error;
    if (f.phase == TxnPhase::kCommit) why = "COMMIT: " + why;
    return outcome(classify_failure(f.result, f.phase, writes), why);
  } catch (const TxnRefused& r) {
    if (!c.exec("ROLLBACK", {}, Clock::now() + options_.timeout).ok()) c.drop();
    return outcome(OpType::kFail, r.why);
  }
  for (const std::string& notice : c.take_notices()) {
    if (writes && is_sync_replication_cancel(notice)) return outcome(OpType::kInfo, notice);
  }
  done.type = OpType::kOk;
  done.error.reset();
  return done;
}

}  // namespace faultline::adapters
