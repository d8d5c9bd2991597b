#include "adapters/postgres/postgres_db.h"

#include <algorithm>

#include "adapters/node_files.h"
#include "adapters/polling.h"
#include "adapters/postgres/postgres_client.h"
#include "adapters/postgres/postgres_scripts.h"

namespace faultline::adapters {
namespace {

using namespace std::chrono_literals;
namespace scripts = postgres_scripts;

remote::Command script(const char* text, std::vector<std::string> args,
                       std::chrono::milliseconds timeout = 60s) {
  return root_script(text, std::move(args), timeout);
}

// One statement on a fresh connection: its first column's values, or nullopt with `error`.
std::optional<std::vector<std::string>> query(const PgEndpoint& at, const std::string& sql,
                                              std::chrono::milliseconds timeout,
                                              std::string* error = nullptr) {
  PgConnection c(at, timeout);
  if (!c.connect(error)) return std::nullopt;
  PgResult r = c.exec(sql, {}, PgConnection::Clock::now() + timeout);
  if (!r.ok()) {
    if (error) *error = r.error;
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& row : r.rows) out.push_back(row.empty() || !row[0] ? "" : *row[0]);
  return out;
}

// The /24 of an IPv4 address, or the address itself (/32, /128) otherwise.
std::string subnet_of(const std::string& host) {
  int dots = static_cast<int>(std::count(host.begin(), host.end(), '.'));
  bool ipv4 = dots == 3 && host.find_first_not_of("0123456789.") == std::string::npos;
  if (ipv4) return host.substr(0, host.rfind('.')) + ".0/24";
  return host + (host.find(':') != std::string::npos ? "/128" : "/32");
}

std::string sql_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace

PostgresDatabase::PostgresDatabase(remote::NodeSet& nodes, DatabaseOptions options)
    : nodes_(nodes), options_(std::move(options)), replicas_(nodes_.nodes().size() - 1) {
  auto bad = [](const std::string& name, const std::string& value, const std::string& expected) {
    return DatabaseError("postgres: " + name + " must be " + expected + ", not '" + value + "'");
  };
  for (const auto& [name, value] : options_.settings) {
    if (name == "isolation") {
      if (isolation_sql(value).empty())
        throw bad(name, value, "serializable, repeatable-read or read-committed");
      isolation_ = value;
    } else if (name == "replicas") {
      std::size_t used = 0;
      long n = -1;
      try {
        n = std::stol(value, &used);
      } catch (const std::exception&) {
      }
      if (used != value.size() || n < 0 || static_cast<std::size_t>(n) >= nodes_.nodes().size())
        throw bad(name, value, "a count from 0 to " + std::to_string(nodes_.nodes().size() - 1));
      replicas_ = static_cast<std::size_t>(n);
    } else if (name == "read-from") {
      if (value != "primary" && value != "standby") throw bad(name, value, "primary or standby");
      read_from_standby_ = value == "standby";
    } else if (name == "synchronous-commit") {
      if (value != "off" && value != "local" && value != "on" && value != "remote_apply")
        throw bad(name, value, "off, local, on or remote_apply");
      synchronous_commit_ = value;
    } else {
      throw DatabaseError("postgres has no setting '" + name +
                          "' (it has isolation, replicas, read-from, synchronous-commit)");
    }
  }
  if (read_from_standby_ && replicas_ == 0)
    throw DatabaseError("postgres: read-from=standby needs at least one standby (replicas >= 1)");
  if ((synchronous_commit_ == "on" || synchronous_commit_ == "remote_apply") && replicas_ == 0)
    throw DatabaseError("postgres: synchronous-commit=" + synchronous_commit_ +
                        " needs at least one standby");
  for (const auto& n : nodes_.nodes()) {
    std::string s = subnet_of(n.host);
    if (std::find(trusted_.begin(), trusted_.end(), s) == trusted_.end()) trusted_.push_back(s);
  }
}

std::string PostgresDatabase::promised_consistency_model(
    const std::map<std::string, std::string>& settings) {
  auto it = settings.find("isolation");
  const std::string level = it == settings.end() ? "serializable" : it->second;
  if (level == "repeatable-read") return "snapshot-isolation";
  if (level == "read-committed") return "read-committed";
  return "serializable";
}

std::string PostgresDatabase::node_dir(const remote::Node& node) {
  return adapters::node_dir("postgres", node);
}

std::vector<std::string> PostgresDatabase::standbys() const {
  auto names = nodes_.names();
  return {names.begin() + 1, names.begin() + 1 + static_cast<std::ptrdiff_t>(replicas_)};
}

std::vector<std::string> PostgresDatabase::servers() const {
  std::vector<std::string> out{nodes_.names().front()};
  for (const auto& s : standbys()) out.push_back(s);
  return out;
}

void PostgresDatabase::log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

PgEndpoint PostgresDatabase::endpoint(const std::string& node) const {
  return PgEndpoint{node, nodes_.node(node).host};
}

std::string PostgresDatabase::config_lines(const remote::Node& node) const {
  std::string out = "# faultline\nlisten_addresses = " + sql_quote(node.host) +
                    "\nport = 5432\nunix_socket_directories = " + sql_quote(node_dir(node)) +
                    "\ncluster_name = " + sql_quote(node.name) +
                    "\nshared_buffers = 32MB\nmax_connections = 200\nwal_level = replica\n"
                    "max_wal_senders = 10\nhot_standby = on\nlog_line_prefix = '%m [%p] '\n"
                    // Deadlocks between contending transactions are the norm here: detect
                    // them in 100 ms rather than 1 s.
                    "deadlock_timeout = 100ms\n";
  if (!synchronous_commit_.empty()) out += "synchronous_commit = " + synchronous_commit_ + "\n";
  if (synchronous_commit_ == "on" || synchronous_commit_ == "remote_apply") {
    std::string names;
    for (const auto& s : standbys()) names += (names.empty() ? "" : ", ") + ("\"" + s + "\"");
    out += "synchronous_standby_names = " +
           sql_quote("FIRST " + std::to_string(replicas_) + " (" + names + ")") + "\n";
  }
  return out;
}

std::string PostgresDatabase::hba_text() const {
  std::string out = "local all all trust\nlocal replication all trust\n";
  for (const auto& cidr : trusted_) {
    out += "host all all " + cidr + " trust\nhost replication all " + cidr + " trust\n";
  }
  return out;
}

void PostgresDatabase::setup() {
  const auto started = std::chrono::steady_clock::now();
  if (options_.install_if_missing) nodes_.run_all(script(scripts::kInstall, {}, 15min));
  nodes_.run_each(nodes_.names(), [](const remote::Node& node) {
    return script(scripts::kWipe, {node_dir(node)});
  });
  const remote::Node& primary = nodes_.nodes().front();
  log("postgres: primary " + primary.name + ", " + std::to_string(replicas_) + " standbys" +
      ", isolation " + isolation_ +
      (synchronous_commit_.empty() ? "" : ", synchronous_commit " + synchronous_commit_) +
      (read_from_standby_ ? ", reads from standbys" : ""));
  auto& session = nodes_.session(primary.name);
  session.run(
      script(scripts::kInitPrimary, {node_dir(primary), config_lines(primary), hba_text()}));
  session.run(start_command(primary));
  // The workloads' tables, before the standbys copy the primary.
  std::string error;
  PgConnection c(endpoint(primary.name), 5s);
  PgResult r;
  // Locally committed: the synchronous standbys named in the config do not exist yet.
  if (c.connect(&error)) {
    r = c.exec(std::string("SET synchronous_commit = local;") + kPostgresSchema, {},
               PgConnection::Clock::now() + 10s);
  }
  if (!r.ok()) {
    throw DatabaseError("postgres: cannot create the tables on " + primary.name + ": " +
                        (error.empty() ? r.error : error));
  }
  if (replicas_ > 0) {
    nodes_.run_each(standbys(), [this, &primary](const remote::Node& node) {
      return script(scripts::kInitStandby, {node_dir(node), primary.host, config_lines(node)});
    });
    nodes_.run_each(standbys(), [this](const remote::Node& node) { return start_command(node); });
  }
  const bool healthy = wait_healthy(options_.healthy_timeout);
  log("postgres: set up in " +
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count()) +
      " ms");
  if (!healthy) {
    throw DatabaseError("postgres did not become healthy within " +
                        std::to_string(options_.healthy_timeout.count() / 1000) +
                        " s (see each node's postgres.log under " + node_dir(primary) + ")");
  }
}

void PostgresDatabase::teardown() {
  nodes_.run_each(nodes_.names(), [](const remote::Node& node) {
    return script(scripts::kWipe, {node_dir(node)});
  });
}

bool PostgresDatabase::wait_healthy(std::chrono::milliseconds timeout) {
  const std::vector<std::string> members = servers();
  std::string last_problem;
  bool healthy = poll_until(timeout, 100ms, &last_problem, [&] {
    auto answers = parallel<std::string>(members.size(), [&](std::size_t i) {
      std::string error;
      auto rows = query(endpoint(members[i]),
                        i == 0 ? "SELECT application_name FROM pg_stat_replication "
                                 "WHERE state = 'streaming'"
                               : "SELECT pg_is_in_recovery()::text",
                        1s, &error);
      if (!rows) return "error:" + error;
      std::string joined;
      for (const auto& v : *rows) joined += v + "\n";
      return joined;
    });
    std::string problem;
    for (std::size_t i = 0; i < members.size() && problem.empty(); ++i) {
      if (answers[i].rfind("error:", 0) == 0) {
        problem = members[i] + ": " + answers[i].substr(6);
      } else if (i > 0 && answers[i] != "true\n") {
        problem = members[i] + ": not a standby";
      } else if (i > 0 && answers[0].find(members[i] + "\n") == std::string::npos) {
        problem = members[i] + ": not streaming from the primary";
      }
    }
    return problem;
  });
  if (!healthy) log("postgres: not healthy: " + last_problem);
  return healthy;
}

remote::Command PostgresDatabase::start_command(const remote::Node& node) const {
  return script(scripts::kStart, start_args(node, "start"));
}

remote::Command PostgresDatabase::restart_command(const remote::Node& node) const {
  return script(scripts::kStart, start_args(node, "restart"));
}

std::vector<std::string> PostgresDatabase::start_args(const remote::Node& node,
                                                      const std::string& mode) const {
  std::vector<std::string> args{node_dir(node), mode};
  if (options_.faketime_environment) {
    for (const auto& [name, value] : options_.faketime_environment(node))
      args.push_back(name + "=" + value);
  }
  return args;
}

ProcessLocation PostgresDatabase::process_location(const remote::Node& node) const {
  return ProcessLocation{node_dir(node) + "/data/postmaster.pid", "postgres"};
}

void PostgresDatabase::start(const std::string& node) {
  nodes_.session(node).run(start_command(nodes_.node(node)));
}
void PostgresDatabase::kill(const std::string& node) {
  nodes_.session(node).run(script(scripts::kSignal, {node_dir(nodes_.node(node)), "KILL"}));
}
void PostgresDatabase::pause(const std::string& node) {
  nodes_.session(node).run(script(scripts::kSignal, {node_dir(nodes_.node(node)), "STOP"}));
}
void PostgresDatabase::resume(const std::string& node) {
  nodes_.session(node).run(script(scripts::kSignal, {node_dir(nodes_.node(node)), "CONT"}));
}
void PostgresDatabase::restart(const std::string& node) {
  kill(node);
  nodes_.session(node).run(restart_command(nodes_.node(node)));
}

std::vector<std::string> PostgresDatabase::primaries() {
  const auto& nodes = nodes_.nodes();
  auto roles = parallel<std::string>(nodes.size(), [&](std::size_t i) {
    auto rows = query(endpoint(nodes[i].name), "SELECT pg_is_in_recovery()::text", 500ms);
    return rows && !rows->empty() ? rows->front() : std::string();
  });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (roles[i] == "false") out.push_back(nodes[i].name);
  }
  return out;
}

void PostgresDatabase::download_logs(const std::filesystem::path& dir) {
  download_node_files(nodes_, servers(), "postgres", {"postgres.log"}, dir, options_.log);
}

std::string PostgresDatabase::version() {
  remote::Command command = script(
      "\"$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)\"/pg_ctl --version", {}, 10s);
  std::string out = nodes_.session(nodes_.names().front()).run(command).out;
  // "pg_ctl (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
  return version_after(out, ") ", " \n");
}

std::unique_ptr<Client> PostgresDatabase::client(const std::string& node,
                                                 const ClientOptions& options) {
  const auto names = nodes_.names();
  const auto standby_names = standbys();
  PostgresClientConfig config;
  config.primary = endpoint(names.front());
  config.reads = config.primary;
  const bool has_server =
      node == names.front() ||
      std::find(standby_names.begin(), standby_names.end(), node) != standby_names.end();
  config.own = has_server ? endpoint(node) : config.primary;
  if (read_from_standby_ && !standby_names.empty()) {
    config.reads =
        node != names.front() && has_server ? endpoint(node) : endpoint(standby_names.front());
  }
  config.isolation = isolation_sql(isolation_);
  // A hot standby refuses SERIALIZABLE.
  config.standby_isolation = isolation_ == "serializable" ? "REPEATABLE READ" : config.isolation;
  return std::make_unique<PostgresClient>(config, options);
}

}  // namespace faultline::adapters
