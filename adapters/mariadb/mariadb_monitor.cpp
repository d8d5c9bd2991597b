#include "adapters/mariadb/mariadb_monitor.h"

#include <algorithm>

#include "adapters/mariadb/mariadb_db.h"
#include "adapters/polling.h"

namespace faultline::adapters {
namespace {

using namespace std::chrono_literals;
constexpr std::chrono::milliseconds kQueryTimeout{500};
constexpr std::chrono::seconds kApplyWait{60};

// A one-value admin_sql answer (a GTID position) without its line end.
std::string without_trailing_space(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
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
  // The primary's own view, first: "<read_only> <gtid_binlog_pos>".
  auto own = mysql_query(db_.topology_->endpoint(primary),
                         "SELECT CONCAT(@@read_only, ' ', @@gtid_binlog_pos)", kQueryTimeout);
  long long primary_position = -1;
  if (own && !own->empty()) {
    const std::string& answer = own->front();
    // A promoted replica restarted by the nemesis comes back read-only from its my.cnf.
    if (answer.rfind("1", 0) == 0) db_.admin_sql(primary, "SET GLOBAL read_only=OFF;");
    const auto space = answer.find(' ');
    if (space != std::string::npos) primary_position = gtid_domain0_seq(answer.substr(space + 1));
  }
  if (!fenced_pending_.empty() && fence(fenced_pending_) &&
      demote(fenced_pending_, primary, promoted_at_)) {
    fenced_pending_.clear();
  }
  std::vector<std::string> replicas;
  for (const auto& e : endpoints) {
    if (e.node != primary && e.node != fenced_pending_) replicas.push_back(e.node);
  }
  auto seen = observe_replicas(replicas);
  auto judgement = judge_.observe(std::chrono::steady_clock::now(), primary_position, seen);
  if (judgement.primary_lost) fail_over(primary, replicas, judgement.lost_by);
}

std::vector<ReplicaObservation> MariadbMonitor::observe_replicas(
    const std::vector<std::string>& replicas) {
  auto statuses = parallel<std::optional<MysqlResult>>(replicas.size(), [&](std::size_t i) {
    return slave_status(db_.topology_->endpoint(replicas[i]));
  });
  std::vector<ReplicaObservation> seen(replicas.size());
  for (std::size_t i = 0; i < replicas.size(); ++i) {
    seen[i].node = replicas[i];
    const auto& s = statuses[i];
    if (!s || s->rows.empty()) continue;
    seen[i].answered = true;
    seen[i].io_running = s->cell(0, "Slave_IO_Running") == std::optional<std::string>("Yes");
    seen[i].position = s->cell(0, "Gtid_IO_Pos").value_or("");
    seen[i].received = gtid_domain0_seq(seen[i].position);
  }
  return seen;
}

std::optional<std::string> MariadbMonitor::fence(const std::string& node) {
  try {
    return without_trailing_space(
        db_.admin_sql(node, "SET GLOBAL read_only=ON; SELECT @@gtid_binlog_pos;", kFenceTimeout));
  } catch (const std::exception& e) {
    db_.log("mariadb monitor: old primary " + node + " not fenced yet: " + e.what());
    return std::nullopt;
  }
}

bool MariadbMonitor::demote(const std::string& node, const std::string& primary,
                            const std::string& position) {
  try {
    db_.admin_sql(node,
                  "STOP SLAVE; SET GLOBAL gtid_slave_pos=" + mysql_quote(position) +
                      "; SET GLOBAL slave_exec_mode='IDEMPOTENT'; " +
                      db_.replicate_from_sql(primary),
                  kFenceTimeout);
  } catch (const std::exception& e) {
    db_.log("mariadb monitor: old primary " + node + " not demoted yet: " + e.what());
    return false;
  }
  record("demote", {{"node", node}, {"replicates", primary}, {"from_gtid", position}});
  return true;
}

void MariadbMonitor::fail_over(const std::string& from,
                               const std::vector<std::string>& replica_nodes,
                               const std::vector<std::string>& lost_by) {
  const auto started = std::chrono::steady_clock::now();
  // 0. Freeze: no replica receives more from the old primary (a heal would reconnect them)
  // while one is chosen and promoted; then their final received positions.
  parallel<bool>(replica_nodes.size(), [&](std::size_t i) {
    try {
      db_.admin_sql(replica_nodes[i], "STOP SLAVE IO_THREAD;", kFenceTimeout);
      return true;
    } catch (const std::exception& e) {
      db_.log("mariadb monitor: " + replica_nodes[i] + " not frozen: " + e.what());
      return false;
    }
  });
  const auto replicas = observe_replicas(replica_nodes);
  auto best_index = most_advanced_replica(replicas);
  if (!best_index) {
    db_.log("mariadb monitor: primary " + from + " lost, but no replica answers");
    for (const auto& node : replica_nodes) {
      try {
        db_.admin_sql(node, "START SLAVE IO_THREAD;", kFenceTimeout);
      } catch (const std::exception&) {
        // it does not answer: nothing to undo there
      }
    }
    return;
  }
  const std::string best = replicas[*best_index].node;
  const std::string best_position = replicas[*best_index].position;
  // 1. Fence first, so that the old primary takes no more writes once clients move.
  std::optional<std::string> old_position = fence(from);
  // 2. What it received, applied, as MHA and orchestrator wait for (at most kApplyWait,
  // over a client connection: an SSH session held that long would stall the nemesis), then a
  // primary of its own; its binlog position is where the others continue from.
  std::string error;
  auto waited = mysql_query(db_.topology_->endpoint(best),
                            "SELECT MASTER_GTID_WAIT(" + mysql_quote(best_position) + ", " +
                                std::to_string(kApplyWait.count()) + ")",
                            kApplyWait + 5s, &error);
  const bool applied = waited && !waited->empty() && waited->front() == "0";
  if (!applied)
    db_.log("mariadb monitor: " + best + " did not apply " + best_position + " " + error);
  const std::string promoted_at = without_trailing_space(db_.admin_sql(
      best, "STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only=OFF; SELECT @@gtid_binlog_pos;"));
  db_.topology_->set_primary(best);
  judge_.reset();
  // 3. The other replicas follow it.
  for (const auto& r : replicas) {
    if (r.node == best) continue;
    try {
      db_.admin_sql(r.node, db_.replicate_from_sql(best));
    } catch (const std::exception& e) {
      db_.log("mariadb monitor: " + r.node + " not pointed at " + best + ": " + e.what());
    }
  }
  // 4. The record.
  boost::json::array lost;
  for (const auto& n : lost_by) lost.push_back(boost::json::value(n));
  boost::json::object value{{"from", from},
                            {"to", best},
                            {"gtid", promoted_at},
                            {"received", best_position},
                            {"lost_by", std::move(lost)},
                            {"fenced", old_position ? "read_only" : "unreachable"},
                            {"applied", applied},
                            {"took_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now() - started)
                                            .count()}};
  if (old_position) {
    value["from_gtid"] = *old_position;
    const long long old_seq = gtid_domain0_seq(*old_position);
    const long long new_seq = gtid_domain0_seq(promoted_at);
    if (old_seq >= 0 && new_seq >= 0)
      value["only_on_old_primary"] = std::max(0LL, old_seq - new_seq);
  }
  record("failover", std::move(value));
  // 5. The old primary follows the new one from the promoted position.
  promoted_at_ = promoted_at;
  fenced_pending_ = from;
  if (old_position && demote(from, best, promoted_at)) fenced_pending_.clear();
}

}  // namespace faultline::adapters
