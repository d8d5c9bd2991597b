#include "adapters/mariadb/mariadb_db.h"

#include <algorithm>

#include "adapters/mariadb/mariadb_client.h"
#include "adapters/mariadb/mariadb_monitor.h"
#include "adapters/mariadb/mariadb_scripts.h"
#include "adapters/node_files.h"
#include "adapters/polling.h"

namespace faultline::adapters {
namespace {

using namespace std::chrono_literals;
namespace scripts = mariadb_scripts;

// Seconds a start waits for the server to answer: a Galera joiner first copies the whole
// datadir from a donor.
constexpr int kStartWaitSeconds = 30;
constexpr int kGaleraStartWaitSeconds = 120;

std::string isolation_cnf(const std::string& setting) {
  std::string sql = mariadb_isolation_sql(setting);
  std::replace(sql.begin(), sql.end(), ' ', '-');
  return sql;
}

// A whole number from `min` to `max`, or nullopt.
std::optional<long> whole(const std::string& text, long min, long max) {
  std::size_t used = 0;
  long n = 0;
  try {
    n = std::stol(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != text.size() || n < min || n > max) return std::nullopt;
  return n;
}

// Galera's group name: gcomm refuses every handshake ("handling gmcast protocol message
// failed") when it is longer than 32 bytes, so a run id is cut to its tail (the timestamp and
// run number, which tell runs apart), behind a prefix.
std::string galera_cluster_name(const std::string& run_id) {
  constexpr std::size_t kMax = 32;
  const std::string prefix = "fl-";
  std::string tail = run_id.size() > kMax - prefix.size()
                         ? run_id.substr(run_id.size() - (kMax - prefix.size()))
                         : run_id;
  return prefix + (tail.empty() ? "faultline" : tail);
}

}  // namespace

MariadbDatabase::MariadbDatabase(remote::NodeSet& nodes, DatabaseOptions options)
    : nodes_(nodes), options_(std::move(options)) {
  auto bad = [](const std::string& name, const std::string& value, const std::string& expected) {
    return DatabaseError("mariadb: " + name + " must be " + expected + ", not '" + value + "'");
  };
  const auto& s = options_.settings;
  for (const auto& [name, value] : s) {
    if (name == "replication") {
      if (value == "async") {
        replication_ = Replication::kAsync;
      } else if (value == "semi-sync") {
        replication_ = Replication::kSemiSync;
      } else if (value == "galera") {
        replication_ = Replication::kGalera;
      } else {
        throw bad(name, value, "async, semi-sync or galera");
      }
    } else if (name == "read-from") {
      if (value != "primary" && value != "replica") throw bad(name, value, "primary or replica");
      read_from_replica_ = value == "replica";
    } else if (name == "failover") {
      if (value != "none" && value != "manual") throw bad(name, value, "none or manual");
      manual_failover_ = value == "manual";
    } else if (name == "rpl_semi_sync_master_wait_point") {
      if (value != "AFTER_SYNC" && value != "AFTER_COMMIT")
        throw bad(name, value, "AFTER_SYNC or AFTER_COMMIT");
      wait_point_ = value;
    } else if (name == "rpl_semi_sync_master_timeout") {
      auto n = whole(value, 0, 3'600'000);
      if (!n) throw bad(name, value, "a time in milliseconds");
      semi_sync_timeout_ms_ = *n;
    } else if (name == "wsrep_sync_wait") {
      if (value != "0" && value != "1" && value != "3") throw bad(name, value, "0, 1 or 3");
      sync_wait_ = std::stoi(value);
    } else if (name == "isolation") {
      if (mariadb_isolation_sql(value).empty())
        throw bad(name, value, "serializable, repeatable-read, read-committed or read-uncommitted");
      isolation_ = value;
    } else if (name == "innodb_flush_log_at_trx_commit") {
      if (value != "0" && value != "1" && value != "2") throw bad(name, value, "0, 1 or 2");
      flush_log_ = std::stoi(value);
    } else if (name == "sync_binlog") {
      if (value != "0" && value != "1") throw bad(name, value, "0 or 1");
      sync_binlog_ = std::stoi(value);
    } else {
      throw DatabaseError(
          "mariadb has no setting '" + name +
          "' (it has replication, read-from, failover, rpl_semi_sync_master_wait_point, "
          "rpl_semi_sync_master_timeout, wsrep_sync_wait, isolation, "
          "innodb_flush_log_at_trx_commit, sync_binlog)");
    }
  }
  const bool galera = replication_ == Replication::kGalera;
  auto only = [&](const char* setting, bool allowed, const char* where) {
    if (s.count(setting) && !allowed)
      throw DatabaseError(std::string("mariadb: ") + setting + " applies to " + where + " only");
  };
  only("read-from", !galera, "replication=async or semi-sync (Galera reads the own node)");
  only("failover", !galera, "replication=async or semi-sync");
  only("rpl_semi_sync_master_wait_point", replication_ == Replication::kSemiSync,
       "replication=semi-sync");
  only("rpl_semi_sync_master_timeout", replication_ == Replication::kSemiSync,
       "replication=semi-sync");
  only("wsrep_sync_wait", galera, "replication=galera");
  const std::size_t n = nodes_.nodes().size();
  if (n > 0 && n < 2 &&
      (read_from_replica_ || manual_failover_ || replication_ == Replication::kSemiSync))
    throw DatabaseError(
        "mariadb: read-from=replica, failover=manual and semi-sync need a replica "
        "(at least 2 nodes)");
  std::vector<MysqlEndpoint> endpoints;
  for (const auto& node : nodes_.nodes()) endpoints.push_back({node.name, node.host});
  topology_ = std::make_shared<MariadbTopology>(std::move(endpoints), galera);
}

MariadbDatabase::~MariadbDatabase() = default;

std::string MariadbDatabase::promised_consistency_model(
    const std::map<std::string, std::string>& settings) {
  auto it = settings.find("isolation");
  return it == settings.end() ? "repeatable-read" : it->second;
}

std::string MariadbDatabase::node_dir(const remote::Node& node) {
  return adapters::node_dir("mariadb", node);
}

void MariadbDatabase::log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

std::string MariadbDatabase::config_text(const remote::Node& node, std::size_t index) const {
  const std::string dir = node_dir(node);
  std::string out =
      "# faultline\n[mariadbd]\ndatadir=" + dir + "/data\nsocket=" + dir +
      "/mysqld.sock\npid-file=" + dir + "/mysqld.pid\nlog-error=" + dir +
      "/mariadb.log\nbind-address=" + node.host + "\nport=" + std::to_string(kMariadbPort) +
      "\nuser=mysql\nskip-name-resolve\nserver-id=" + std::to_string(index + 1) +
      "\nperformance_schema=OFF\ninnodb_buffer_pool_size=64M\n"
      "innodb_log_file_size=32M\nmax_connections=500\n"
      // A lock wait ends well inside a client's timeout (a refusal, 1205).
      "innodb_lock_wait_timeout=1\n"
      "transaction_isolation=" +
      isolation_cnf(isolation_) + "\ninnodb_flush_log_at_trx_commit=" + std::to_string(flush_log_) +
      "\nsync_binlog=" + std::to_string(sync_binlog_) +
      "\nlog_bin=binlog\nbinlog_format=ROW\nlog_slave_updates=ON\n";
  if (replication_ == Replication::kGalera) {
    std::string members;
    for (const auto& n : nodes_.nodes()) members += (members.empty() ? "" : ",") + n.host;
    out +=
        "wsrep_on=ON\nwsrep_provider=/usr/lib/galera/libgalera_smm.so\n"
        "wsrep_cluster_name=" +
        galera_cluster_name(options_.run_id) + "\nwsrep_cluster_address=gcomm://" + members +
        "\nwsrep_node_address=" + node.host + "\nwsrep_node_name=" + node.name +
        "\nwsrep_sst_method=rsync\nwsrep_sync_wait=" + std::to_string(sync_wait_) +
        "\nwsrep_provider_options=\"gcache.size=32M\"\ninnodb_autoinc_lock_mode=2\n";
  } else {
    // A replica whose primary went silent (heartbeat every second: MASTER_HEARTBEAT_PERIOD)
    // reconnects after 3 s, Slave_IO_Running=Connecting: what the failover monitor reads.
    out += "relay_log=relay\nslave_net_timeout=3\n";
    if (index > 0) out += "read_only=ON\n";
    if (replication_ == Replication::kSemiSync) {
      // On every node: a promoted replica waits for its own replicas.
      out +=
          "rpl_semi_sync_master_enabled=ON\nrpl_semi_sync_slave_enabled=ON\n"
          "rpl_semi_sync_master_timeout=" +
          std::to_string(semi_sync_timeout_ms_) +
          "\nrpl_semi_sync_master_wait_point=" + wait_point_ + "\n";
    }
  }
  return out;
}

std::string MariadbDatabase::replicate_from_sql(const std::string& primary) const {
  return "STOP SLAVE; CHANGE MASTER TO MASTER_HOST='" + nodes_.node(primary).host +
         "', MASTER_PORT=" + std::to_string(kMariadbPort) + ", MASTER_USER='" + kMariadbUser +
         "', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, "
         "MASTER_HEARTBEAT_PERIOD=1; "
         "SET GLOBAL read_only=ON; START SLAVE;";
}

std::string MariadbDatabase::admin_sql(const std::string& node, const std::string& sql,
                                       std::chrono::milliseconds timeout) {
  return nodes_.session(node)
      .run(root_script(scripts::kSql, {node_dir(nodes_.node(node)), sql}, timeout))
      .out;
}

void MariadbDatabase::setup() {
  const auto started = std::chrono::steady_clock::now();
  if (options_.install_if_missing) {
    nodes_.run_all(root_script(scripts::kInstall,
                               {"mariadb-server", "mariadb-client", "galera-4", "rsync"}, 15min));
  }
  nodes_.run_each(nodes_.names(), [](const remote::Node& node) {
    return root_script(scripts::kWipe, {node_dir(node)});
  });
  const auto names = nodes_.names();
  const std::string first = names.front();
  const bool galera = replication_ == Replication::kGalera;
  log(std::string("mariadb: ") +
      (galera ? "galera, every node a primary, wsrep_sync_wait " + std::to_string(sync_wait_)
              : std::string(replication_ == Replication::kSemiSync
                                ? "semi-sync (" + wait_point_ + ", timeout " +
                                      std::to_string(semi_sync_timeout_ms_) + " ms)"
                                : "async") +
                    ", primary " + first + ", " + std::to_string(names.size() - 1) + " replicas" +
                    (read_from_replica_ ? ", reads from replicas" : "") +
                    (manual_failover_ ? ", manual failover" : "")) +
      ", isolation " + isolation_ + ", innodb_flush_log_at_trx_commit " +
      std::to_string(flush_log_) + ", sync_binlog " + std::to_string(sync_binlog_));
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < names.size(); ++i) index[names[i]] = i;
  nodes_.run_each(names, [&](const remote::Node& node) {
    const bool install = !galera || node.name == first;
    return root_script(
        scripts::kInit,
        {node_dir(node), config_text(node, index[node.name]), install ? "install" : "empty"}, 60s);
  });
  const std::string grant =
      std::string("SET sql_log_bin=0; CREATE USER IF NOT EXISTS '") + kMariadbUser +
      "'@'%'; GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER, "
      "REPLICATION SLAVE, REPLICATION CLIENT, SLAVE MONITOR ON *.* TO '" +
      kMariadbUser + "'@'%';";
  std::string problem;
  if (galera) {
    nodes_.session(first).run(launch(nodes_.node(first), "bootstrap"));
    admin_sql(first, grant + "SET sql_log_bin=1;" + kMariadbSchema);
    std::vector<std::string> joiners(names.begin() + 1, names.end());
    nodes_.run_each(joiners, [this](const remote::Node& node) { return start_command(node); });
  } else {
    nodes_.run_each(names, [this](const remote::Node& node) { return start_command(node); });
    nodes_.run_each(names, [&](const remote::Node& node) {
      return root_script(scripts::kSql, {node_dir(node), grant}, 30s);
    });
    admin_sql(first, kMariadbSchema);
    std::vector<std::string> replicas(names.begin() + 1, names.end());
    nodes_.run_each(replicas, [&](const remote::Node& node) {
      return root_script(scripts::kSql, {node_dir(node), replicate_from_sql(first)}, 30s);
    });
  }
  const bool healthy = wait_healthy(options_.healthy_timeout);
  log("mariadb: set up in " +
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count()) +
      " ms");
  if (!healthy) {
    throw DatabaseError("mariadb did not become healthy within " +
                        std::to_string(options_.healthy_timeout.count() / 1000) +
                        " s (see each node's mariadb.log under " + node_dir(nodes_.node(first)) +
                        ")");
  }
}

void MariadbDatabase::teardown() {
  monitor_.reset();
  nodes_.run_each(nodes_.names(), [](const remote::Node& node) {
    return root_script(scripts::kWipe, {node_dir(node)});
  });
  topology_->set_primary(nodes_.names().front());
}

bool MariadbDatabase::healthy_once(std::string* problem) {
  const auto& endpoints = topology_->nodes();
  const bool galera = replication_ == Replication::kGalera;
  const std::string status =
      "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN ";
  const std::string sql =
      galera ? status +
                   "('WSREP_LOCAL_STATE_COMMENT', 'WSREP_CLUSTER_SIZE', 'WSREP_READY') "
                   "ORDER BY VARIABLE_NAME"
             : "SELECT CONCAT(@@gtid_current_pos, ' ', @@read_only, ' ', (" + status +
                   "('SLAVE_RUNNING')), ' ', IFNULL((" + status +
                   "('RPL_SEMI_SYNC_MASTER_STATUS')), 'OFF'))";
  auto answers = parallel<std::string>(endpoints.size(), [&](std::size_t i) {
    std::string error;
    auto rows = mysql_query(endpoints[i], sql, 1s, &error);
    if (!rows) return "error:" + error;
    std::string joined;
    for (const auto& v : *rows) joined += (joined.empty() ? "" : " ") + v;
    return joined;
  });
  const std::string primary = topology_->primary();
  std::string primary_answer;
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    if (endpoints[i].node == primary) primary_answer = answers[i];
  }
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    const std::string& name = endpoints[i].node;
    const std::string& a = answers[i];
    if (a.rfind("error:", 0) == 0) {
      *problem = name + ": " + a.substr(6);
      return false;
    }
    if (galera) {
      // cluster size, local state, ready (by variable name)
      const std::string expected = std::to_string(endpoints.size()) + " Synced ON";
      if (a != expected) {
        *problem = name + ": " + a + " (expected cluster size, state, ready: " + expected + ")";
        return false;
      }
      continue;
    }
    // "<gtid> <read_only> <slave running> <semi-sync master status>"
    std::vector<std::string> words;
    for (std::size_t at = 0; at <= a.size();) {
      std::size_t space = std::min(a.find(' ', at), a.size());
      words.push_back(a.substr(at, space - at));
      at = space + 1;
    }
    if (words.size() != 4) {
      *problem = name + ": unexpected answer '" + a + "'";
      return false;
    }
    if (name == primary) {
      if (words[1] != "0" && words[1] != "OFF") *problem = name + ": the primary is read-only";
      if (replication_ == Replication::kSemiSync && words[3] != "ON")
        *problem = name + ": semi-synchronous replication is not on";
    } else if (words[2] != "ON") {
      *problem = name + ": not replicating";
    } else if (words[0] != primary_answer.substr(0, primary_answer.find(' '))) {
      *problem = name + ": at " + words[0] + ", behind the primary";
    }
    if (!problem->empty()) return false;
  }
  return true;
}

bool MariadbDatabase::wait_healthy(std::chrono::milliseconds timeout) {
  std::string last_problem;
  bool healthy = poll_until(timeout, 200ms, &last_problem, [&] {
    std::string problem;
    return healthy_once(&problem) ? std::string() : problem;
  });
  if (!healthy) log("mariadb: not healthy: " + last_problem);
  return healthy;
}

remote::Command MariadbDatabase::launch(const remote::Node& node, const char* mode) const {
  const bool galera = replication_ == Replication::kGalera;
  const bool bootstrap = std::string(mode) == "bootstrap";
  std::vector<std::string> args{
      node_dir(node), bootstrap ? "start" : mode, bootstrap ? "bootstrap" : "join",
      std::to_string(galera ? kGaleraStartWaitSeconds : kStartWaitSeconds)};
  if (options_.faketime_environment) {
    for (const auto& [name, value] : options_.faketime_environment(node))
      args.push_back(name + "=" + value);
  }
  return root_script(scripts::kStart, std::move(args),
                     std::chrono::seconds(galera ? kGaleraStartWaitSeconds + 30 : 60));
}

remote::Command MariadbDatabase::start_command(const remote::Node& node) const {
  return launch(node, "start");
}

remote::Command MariadbDatabase::restart_command(const remote::Node& node) const {
  return launch(node, "restart");
}

ProcessLocation MariadbDatabase::process_location(const remote::Node& node) const {
  return ProcessLocation{node_dir(node) + "/mysqld.pid", "mariadbd"};
}

void MariadbDatabase::start(const std::string& node) {
  nodes_.session(node).run(start_command(nodes_.node(node)));
}
void MariadbDatabase::kill(const std::string& node) {
  nodes_.session(node).run(root_script(scripts::kSignal, {node_dir(nodes_.node(node)), "KILL"}));
}
void MariadbDatabase::pause(const std::string& node) {
  nodes_.session(node).run(root_script(scripts::kSignal, {node_dir(nodes_.node(node)), "STOP"}));
}
void MariadbDatabase::resume(const std::string& node) {
  nodes_.session(node).run(root_script(scripts::kSignal, {node_dir(nodes_.node(node)), "CONT"}));
}
void MariadbDatabase::restart(const std::string& node) {
  kill(node);
  nodes_.session(node).run(restart_command(nodes_.node(node)));
}

std::vector<std::string> MariadbDatabase::primaries() {
  const auto& endpoints = topology_->nodes();
  const bool galera = replication_ == Replication::kGalera;
  const std::string sql = galera ? "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                                   "WHERE VARIABLE_NAME = 'WSREP_CLUSTER_STATUS'"
                                 : "SELECT @@read_only";
  auto roles = parallel<std::string>(endpoints.size(), [&](std::size_t i) {
    auto rows = mysql_query(endpoints[i], sql, 500ms);
    return rows && !rows->empty() ? rows->front() : std::string();
  });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    const bool leads = galera ? roles[i] == "Primary" : roles[i] == "0" || roles[i] == "OFF";
    if (leads) out.push_back(endpoints[i].node);
  }
  return out;
}

void MariadbDatabase::download_logs(const std::filesystem::path& dir) {
  download_node_files(nodes_, nodes_.names(), "mariadb", {"mariadb.log"}, dir, options_.log);
}

std::string MariadbDatabase::version() {
  std::string out = nodes_.session(nodes_.names().front())
                        .run(root_script("/usr/sbin/mariadbd --version", {}, 10s))
                        .out;
  // "/usr/sbin/mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64"
  return version_after(out, "Ver ", "- \n");
}

void MariadbDatabase::attach_history(HistoryRecord record) {
  monitor_.reset();
  if (!record) return;
  const bool watch_semi_sync = replication_ == Replication::kSemiSync;
  if (!watch_semi_sync && !manual_failover_) return;
  monitor_ =
      std::make_unique<MariadbMonitor>(*this, std::move(record), watch_semi_sync, manual_failover_);
}

std::unique_ptr<Client> MariadbDatabase::client(const std::string& node,
                                                const ClientOptions& options) {
  MariadbClientConfig config;
  config.topology = topology_;
  config.own = node;
  config.reads_from_replica = read_from_replica_;
  config.isolation = mariadb_isolation_sql(isolation_);
  return std::make_unique<MariadbClient>(config, options);
}

}  // namespace faultline::adapters
