#include "adapters/redis/redis_db.h"

#include "adapters/daemon_script.h"
#include "adapters/node_files.h"
#include "adapters/polling.h"
#include "adapters/redis/redis_client.h"
#include "adapters/redis/redis_sentinel.h"

namespace faultline::adapters {
namespace {

using namespace std::chrono_literals;

// $1: the node's directory, $2: "start" or "restart"; the rest: redis-server's argv (it
// daemonizes and writes its pid file). start: no-op if redis already runs from that directory.
// restart (after a kill): first waits up to 10 s for the killed process to be gone.
constexpr const char* kStartScript = R"sh(dir=$1; mode=$2; shift 2
mkdir -p "$dir" || exit 1
alive() {
  [ "$(cat /proc/"$1"/comm 2>/dev/null)" = redis-server ] || return 1
  state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' /proc/"$1"/status 2>/dev/null)
  [ "$state" != Z ] && [ "$state" != X ]
}
if [ -f "$dir/redis.pid" ]; then
  pid=$(cat "$dir/redis.pid")
  if [ "$mode" = restart ]; then
    i=0
    while alive "$pid" && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
  fi
  if alive "$pid"; then exit 0; fi
fi
cd "$dir" || exit 1
"$@" </dev/null >>"$dir/redis.log" 2>&1
)sh";

// $@: the packages (redis-server, and redis-sentinel for failover=sentinel), each also the
// name of the program it installs.
constexpr const char* kInstallScript = R"sh(missing=
for p in "$@"; do command -v "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=900 install -y $missing >&2 ||
  { apt-get update >&2 && apt-get -o DPkg::Lock::Timeout=900 install -y $missing >&2; } || exit 1
for p in $missing; do systemctl stop "$p" >/dev/null 2>&1; systemctl disable "$p" >/dev/null 2>&1; done
for p in "$@"; do command -v "$p" >/dev/null 2>&1 || exit 1; done
)sh";

// Stops Redis and its sentinel and deletes everything of them.
remote::Command wipe(const remote::Node& node) {
  return root_script(kWipeDaemonsScript, {RedisDatabase::node_dir(node), "redis-server:redis.pid",
                                          "redis-sentinel:sentinel.pid"});
}

// Sends `sig` (KILL, STOP, CONT) to the daemon whose pid file is in `dir`.
remote::Command signal_daemon(const std::string& dir, const char* sig) {
  return root_script(kSignalDaemonScript, {dir, sig, "redis.pid", "redis-server"});
}

// "field:value" of an INFO reply.
std::string info_field(const std::string& info, const std::string& field) {
  auto at = info.find(field + ":");
  if (at == std::string::npos) return {};
  at += field.size() + 1;
  auto end = info.find_first_of("\r\n", at);
  return info.substr(at, end == std::string::npos ? end : end - at);
}

// An offset field of an INFO reply; -1 when absent or malformed.
long long offset(const std::string& info, const std::string& field) {
  try {
    return std::stoll(info_field(info, field));
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace

RedisDatabase::RedisDatabase(remote::NodeSet& nodes, DatabaseOptions options)
    : nodes_(nodes), options_(std::move(options)) {
  for (const auto& [name, value] : options_.settings) {
    if (name == "read-from") {
      if (value != "primary" && value != "replica") {
        throw DatabaseError("redis: read-from must be primary or replica, not '" + value + "'");
      }
      read_from_replica_ = value == "replica";
    } else if (name == "wait") {
      try {
        wait_replicas_ = std::stoi(value);
      } catch (const std::exception&) {
        wait_replicas_ = -1;
      }
      if (wait_replicas_ < 0)
        throw DatabaseError("redis: wait must be a count, not '" + value + "'");
    } else if (name == "failover") {
      if (value != "none" && value != "sentinel") {
        throw DatabaseError("redis: failover must be none or sentinel, not '" + value + "'");
      }
      sentinel_ = value == "sentinel";
    } else {
      throw DatabaseError("redis has no setting '" + name + "' (it has read-from, wait, failover)");
    }
  }
}

std::string RedisDatabase::node_dir(const remote::Node& node) {
  return adapters::node_dir("redis", node);
}

void RedisDatabase::log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

void RedisDatabase::run(const std::string& node, const remote::Command& command) {
  nodes_.session(node).run(command);
}

remote::Command RedisDatabase::start_command(const remote::Node& node) const {
  return launch_command(node, "start");
}

remote::Command RedisDatabase::restart_command(const remote::Node& node) const {
  return launch_command(node, "restart");
}

remote::Command RedisDatabase::launch_command(const remote::Node& node, const char* mode) const {
  const std::string dir = node_dir(node);
  std::vector<std::string> args{dir,
                                mode,
                                "redis-server",
                                "--port",
                                std::to_string(kRedisPort),
                                "--bind",
                                node.host,
                                "--protected-mode",
                                "no",
                                "--daemonize",
                                "yes",
                                "--pidfile",
                                dir + "/redis.pid",
                                "--logfile",
                                dir + "/redis.log",
                                "--dir",
                                dir,
                                "--save",
                                "",
                                "--appendonly",
                                "no",
                                "--repl-diskless-sync-delay",
                                "0"};
  const remote::Node& primary = nodes_.nodes().front();
  if (node.name != primary.name) {
    args.insert(args.end(), {"--replicaof", primary.host, std::to_string(kRedisPort)});
  }
  return root_script(kStartScript, std::move(args));
}

ProcessLocation RedisDatabase::process_location(const remote::Node& node) const {
  return ProcessLocation{node_dir(node) + "/redis.pid", "redis-server"};
}

void RedisDatabase::setup() {
  if (options_.install_if_missing) {
    std::vector<std::string> packages{"redis-server"};
    if (sentinel_) packages.push_back("redis-sentinel");
    nodes_.run_all(root_script(kInstallScript, packages, 15min));
  }
  nodes_.run_each(nodes_.names(), wipe);
  log("redis: primary " + nodes_.names().front() + ", " +
      std::to_string(nodes_.nodes().size() - 1) + " replicas" +
      (read_from_replica_ ? ", reads from replicas" : "") +
      (wait_replicas_ ? ", WAIT " + std::to_string(wait_replicas_) : "") +
      (sentinel_ ? ", Sentinel failover" : ""));
  nodes_.run_each(nodes_.names(), [this](const remote::Node& node) { return start_command(node); });
  if (!wait_healthy(options_.healthy_timeout)) {
    throw DatabaseError("redis did not become healthy within " +
                        std::to_string(options_.healthy_timeout.count() / 1000) +
                        " s (see each node's redis.log under " + node_dir(nodes_.nodes().front()) +
                        ")");
  }
  if (sentinel_) start_sentinels();
}

void RedisDatabase::start_sentinels() {
  const auto& nodes = nodes_.nodes();
  const int quorum = static_cast<int>(nodes.size() / 2 + 1);
  const std::string primary = nodes.front().host;
  nodes_.run_each(nodes_.names(), [&](const remote::Node& node) {
    return sentinel_start_command(node_dir(node), node.host, primary, quorum);
  });
  // Sentinels find each other through the primary's hello channel (every 2 s).
  std::string problem;
  bool ready = poll_until(options_.healthy_timeout, 200ms, &problem, [&] {
    auto problems = parallel<std::string>(nodes.size(), [&](std::size_t i) {
      std::string p;
      return sentinel_ready(nodes[i].host, 1s, &p) ? std::string() : nodes[i].name + ": " + p;
    });
    for (const auto& p : problems) {
      if (!p.empty()) return p;
    }
    return std::string();
  });
  if (ready) {
    log("redis: " + std::to_string(nodes.size()) + " sentinels ready, quorum " +
        std::to_string(quorum));
    return;
  }
  throw DatabaseError("redis sentinels did not reach their quorum within " +
                      std::to_string(options_.healthy_timeout.count() / 1000) + " s (" + problem +
                      "; see each node's sentinel.log under " + node_dir(nodes.front()) + ")");
}

void RedisDatabase::teardown() {
  nodes_.run_each(nodes_.names(), wipe);
}

bool RedisDatabase::wait_healthy(std::chrono::milliseconds timeout) {
  const auto& nodes = nodes_.nodes();
  std::string last_problem;
  bool healthy = poll_until(timeout, 100ms, &last_problem, [&] {
    std::string problem;
    auto infos = parallel<std::string>(nodes.size(), [&](std::size_t i) {
      std::string error;
      auto info = redis_command(nodes[i].host, {"INFO", "replication"}, 1s, &error);
      return info ? *info : "error:" + error;
    });
    // Without Sentinel the first node is the primary; with it, any one node may be, and
    // every other one must replicate that one (after a failover, until Sentinel demotes
    // the old primary, two nodes claim the role).
    std::size_t primary = 0;
    if (sentinel_) {
      std::size_t masters = 0;
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        if (info_field(infos[i], "role") == "master") {
          primary = i;
          ++masters;
        }
      }
      if (masters != 1) problem = std::to_string(masters) + " nodes claim to be the primary";
    }
    for (std::size_t i = 0; i < nodes.size() && problem.empty(); ++i) {
      const std::string& info = infos[i];
      if (info.rfind("error:", 0) == 0) {
        problem = nodes[i].name + ": " + info.substr(6);
      } else if (i == primary && info_field(info, "role") != "master") {
        problem = nodes[i].name + ": not the primary";
      } else if (i != primary && info_field(info, "master_link_status") != "up") {
        problem = nodes[i].name + ": replication link not up";
      } else if (i != primary && sentinel_ &&
                 info_field(info, "master_host") != nodes[primary].host) {
        problem = nodes[i].name + ": replicates " + info_field(info, "master_host") + ", not " +
                  nodes[primary].name;
      } else if (i != primary &&
                 offset(info, "slave_repl_offset") < offset(infos[primary], "master_repl_offset")) {
        // After a partition the link can claim to be up while the stream is still stuck in
        // TCP retransmission: healthy means caught up, so that final reads see every write.
        problem = nodes[i].name + ": replication behind the primary";
      }
    }
    return problem;
  });
  if (!healthy) log("redis: not healthy: " + last_problem);
  return healthy;
}

void RedisDatabase::start(const std::string& node) {
  run(node, start_command(nodes_.node(node)));
}
void RedisDatabase::kill(const std::string& node) {
  run(node, signal_daemon(node_dir(nodes_.node(node)), "KILL"));
}
void RedisDatabase::pause(const std::string& node) {
  run(node, signal_daemon(node_dir(nodes_.node(node)), "STOP"));
}
void RedisDatabase::resume(const std::string& node) {
  run(node, signal_daemon(node_dir(nodes_.node(node)), "CONT"));
}

std::vector<std::string> RedisDatabase::primaries() {
  const auto& nodes = nodes_.nodes();
  auto roles = parallel<std::string>(nodes.size(), [&](std::size_t i) {
    auto info = redis_command(nodes[i].host, {"INFO", "replication"}, 500ms);
    return info ? info_field(*info, "role") : std::string();
  });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (roles[i] == "master") out.push_back(nodes[i].name);
  }
  return out;
}

void RedisDatabase::download_logs(const std::filesystem::path& dir) {
  std::vector<std::string> files{"redis.log"};
  if (sentinel_) files.push_back("sentinel.log");
  download_node_files(nodes_, nodes_.names(), "redis", files, dir, options_.log);
}

std::string RedisDatabase::version() {
  std::string out =
      nodes_.session(nodes_.names().front()).run(remote::Command{"redis-server", "--version"}).out;
  return version_after(out, "v=", " ");
}

std::unique_ptr<Client> RedisDatabase::client(const std::string& node,
                                              const ClientOptions& options) {
  const auto& nodes = nodes_.nodes();
  RedisClientConfig config;
  config.primary = {nodes.front().name, nodes.front().host};
  config.reads = config.primary;
  config.own = {node, nodes_.node(node).host};
  if (read_from_replica_ && nodes.size() > 1) {
    const remote::Node& own = nodes_.node(node);
    config.reads = own.name != nodes.front().name ? RedisEndpoint{own.name, own.host}
                                                  : RedisEndpoint{nodes[1].name, nodes[1].host};
  }
  config.wait_replicas = wait_replicas_;
  if (sentinel_) {
    // The own node's sentinel first: a client cut off with an old primary keeps using it.
    config.sentinels.push_back(config.own);
    for (const remote::Node& n : nodes) {
      config.servers.push_back({n.name, n.host});
      if (n.name != node) config.sentinels.push_back({n.name, n.host});
    }
    config.reads_follow_primary = !read_from_replica_;
  }
  return std::make_unique<RedisClient>(config, options);
}

}  // namespace faultline::adapters
