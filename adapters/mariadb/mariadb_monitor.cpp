#include "adapters/mariadb/mariadb_monitor.h"

#include "adapters/mariadb/mariadb_db.h"
#include "adapters/polling.h"

namespace faultline::adapters {
namespace {

using namespace std::chrono_literals;
constexpr std::chrono::milliseconds kQueryTimeout{500};

// The sequence number of domain 0 in a GTID position ("0-2-150,1-1-3" -> 150); -1 if none.
long long domain0_seq(const std::string& position) {
  std::size_t at = 0;
  while (at < position.size()) {
    std::size_t end = position.find(',', at);
    std::string gtid = position.substr(at, end == std::string::npos ? end : end - at);
    if (gtid.rfind("0-", 0) == 0) {
      try {
        return std::stoll(gtid.substr(gtid.rfind('-') + 1));
      } catch (const std::exception&) {
        return -1;
      }
    }
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return -1;
}

// SHOW SLAVE STATUS on `at` (no row: not a replica); nullopt when it does not answer.
std::optional<MysqlResult> slave_status(const MysqlEndpoint& at) {
  MysqlConnection c(at, kQueryTimeout, "");
  if (!c.connect(nullptr)) return std::nullopt;
  MysqlResult r = c.exec("SHOW SLAVE STATUS");
  if (!r.ok()) return std::nullopt;
  return r;
}

}  // namespace

MariadbMonitor::MariadbMonitor(MariadbDatabase& db, HistoryRecord record, bool semi_sync,
                               bool failover)
    : db_(db),
      record_(std::move(record)),
      semi_sync_(semi_sync),
      failover_(failover),
      primary_seen_(std::chrono::steady_clock::now()),
      thread_([this](std::stop_token stop) { run(stop); }) {}

MariadbMonitor::~MariadbMonitor() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

void MariadbMonitor::record(const std::string& f, boost::json::object value) {
  Operation op;
  op.type = OpType::kInfo;
  op.f = f;
  op.value = std::move(value);
  db_.log("mariadb monitor: " + f + " " + boost::json::serialize(op.value));
  record_(std::move(op));
}

void MariadbMonitor::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    const auto started = std::chrono::steady_clock::now();
    const std::string primary = db_.topology_->primary();
    try {
      if (semi_sync_) watch_semi_sync(primary);
      if (failover_) watch_primary(primary);
    } catch (const std::exception& e) {
      db_.log(std::string("mariadb monitor: ") + e.what());
    }
    while (!stop.stop_requested() && std::chrono::steady_clock::now() - started < kPollPeriod)
      std::this_thread::sleep_for(20ms);
  }
}

void MariadbMonitor::watch_semi_sync(const std::string& primary) {
  // Two rows, by name: Rpl_semi_sync_master_no_tx (commits acknowledged without a replica's
  // acknowledgement, cumulative), then Rpl_semi_sync_master_status.
  auto rows = mysql_query(db_.topology_->endpoint(primary),
                          "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                          "WHERE VARIABLE_NAME IN ('RPL_SEMI_SYNC_MASTER_NO_TX', "
                          "'RPL_SEMI_SYNC_MASTER_STATUS') ORDER BY VARIABLE_NAME",
                          kQueryTimeout);
  if (!rows || rows->size() != 2) return;  // not answering: nothing to say about its replication
  long long no_tx = 0;
  try {
    no_tx = std::stoll((*rows)[0]);
  } catch (const std::exception&) {
    return;
  }
  const bool on = (*rows)[1] == "ON";
  SemiSyncState& state = semi_sync_state_[primary];
  if (on == state.on) {
    if (on) state.no_tx_while_on = no_tx;
    return;
  }
  state.on = on;
  boost::json::object value{{"node", primary},
                            {"status", on ? "ON" : "OFF"},
                            {"no_tx", no_tx},
                            {"rpl_semi_sync_master_timeout_ms", db_.semi_sync_timeout_ms_}};
  if (on) {
    value["no_tx_during_fallback"] = no_tx - state.no_tx_while_on;
    state.no_tx_while_on = no_tx;
  }
  record(on ? "semi-sync-restored" : "semi-sync-fallback", std::move(value));
}

void MariadbMonitor::watch_primary(const std::string& primary) {
  const auto& endpoints = db_.topology_->nodes();
  auto now = std::chrono::steady_clock::now();
  auto read_only =
      mysql_query(db_.topology_->endpoint(primary), "SELECT @@read_only", kQueryTimeout);
  // A promoted replica restarted by the nemesis comes back read-only from its my.cnf.
  if (read_only && !read_only->empty() &&
      (read_only->front() == "1" || read_only->front() == "ON")) {
    db_.admin_sql(primary, "SET GLOBAL read_only=OFF;");
  }
  if (!fenced_pending_.empty() &&
      mysql_query(db_.topology_->endpoint(fenced_pending_), "SELECT 1", kQueryTimeout)) {
    const std::string old = fenced_pending_;
    db_.admin_sql(old, db_.replicate_from_sql(primary));
    fenced_pending_.clear();
    record("demote", {{"node", old}, {"replicates", primary}});
  }
  std::vector<std::size_t> replicas;
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    if (endpoints[i].node != primary && endpoints[i].node != fenced_pending_) replicas.push_back(i);
  }
  auto statuses = parallel<std::optional<MysqlResult>>(
      replicas.size(), [&](std::size_t i) { return slave_status(endpoints[replicas[i]]); });
  bool linked = false;
  for (const auto& s : statuses) {
    if (s && s->cell(0, "Slave_IO_Running") == std::optional<std::string>("Yes")) linked = true;
  }
  if (read_only && (linked || replicas.empty())) {
    primary_seen_ = now;
    return;
  }
  if (now - primary_seen_ < kFailoverAfter) return;
  fail_over(primary);
  primary_seen_ = std::chrono::steady_clock::now();
}

void MariadbMonitor::fail_over(const std::string& from) {
  const auto& endpoints = db_.topology_->nodes();
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    if (endpoints[i].node != from) candidates.push_back(i);
  }
  auto statuses = parallel<std::optional<MysqlResult>>(
      candidates.size(), [&](std::size_t i) { return slave_status(endpoints[candidates[i]]); });
  std::string best, best_position;
  long long best_seq = -2;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (!statuses[i] || statuses[i]->rows.empty()) continue;
    std::string position = statuses[i]->cell(0, "Gtid_IO_Pos").value_or("");
    long long seq = domain0_seq(position);
    if (seq > best_seq) {
      best_seq = seq;
      best = endpoints[candidates[i]].node;
      best_position = position;
    }
  }
  if (best.empty()) {
    db_.log("mariadb monitor: primary " + from + " unreachable, but no replica answers");
    return;
  }
  // What it received, applied (at most 5 s), then a primary of its own.
  db_.admin_sql(best, "STOP SLAVE IO_THREAD; SELECT MASTER_GTID_WAIT('" + best_position +
                          "', 5); STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only=OFF;");
  db_.topology_->set_primary(best);
  for (std::size_t i : candidates) {
    const std::string& node = endpoints[i].node;
    if (node == best) continue;
    try {
      db_.admin_sql(node, db_.replicate_from_sql(best));
    } catch (const std::exception& e) {
      db_.log("mariadb monitor: " + node + " not pointed at " + best + ": " + e.what());
    }
  }
  fenced_pending_ = from;
  record("failover", {{"from", from}, {"to", best}, {"gtid", best_position}});
}

}  // namespace faultline::adapters
