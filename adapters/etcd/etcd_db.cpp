#include "adapters/etcd/etcd_db.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>

#include "adapters/daemon_script.h"
#include "adapters/etcd/etcd_client.h"
#include "adapters/node_files.h"
#include "adapters/polling.h"
#include "remote/errors.h"

namespace faultline::adapters {
namespace {

using namespace std::chrono_literals;

// $1: the node's directory, $2: "start" or "restart"; the rest: etcd's argv.
// start: no-op if etcd already runs from that directory (a zombie does not count).
// restart (after a kill): first waits up to 10 s for the killed process to be gone, since a
// process still dying holds its ports and the data directory's lock.
constexpr const char* kStartScript = R"sh(dir=$1; mode=$2; shift 2
mkdir -p "$dir/data" || exit 1
alive() {
  [ "$(cat /proc/"$1"/comm 2>/dev/null)" = etcd ] || return 1
  state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' /proc/"$1"/status 2>/dev/null)
  [ "$state" != Z ] && [ "$state" != X ]
}
if [ -f "$dir/etcd.pid" ]; then
  pid=$(cat "$dir/etcd.pid")
  if [ "$mode" = restart ]; then
    i=0
    while alive "$pid" && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
  fi
  if alive "$pid"; then exit 0; fi
fi
cd "$dir" || exit 1
setsid "$@" >>"$dir/etcd.log" 2>&1 </dev/null &
echo $! >"$dir/etcd.pid"
)sh";

// Installs Debian's etcd-server when etcd is missing, and keeps its system service stopped.
constexpr const char* kInstallScript = R"sh(command -v etcd >/dev/null 2>&1 && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=900 install -y etcd-server >&2 ||
  { apt-get update >&2 && apt-get -o DPkg::Lock::Timeout=900 install -y etcd-server >&2; } || exit 1
systemctl stop etcd >/dev/null 2>&1; systemctl disable etcd >/dev/null 2>&1
command -v etcd >/dev/null 2>&1
)sh";

// Stops etcd and deletes everything of it.
remote::Command wipe(const remote::Node& node) {
  return root_script(kWipeDaemonsScript, {EtcdDatabase::node_dir(node), "etcd:etcd.pid"});
}

// Sends `sig` (KILL, STOP, CONT) to the daemon whose pid file is in `dir`.
remote::Command signal_daemon(const std::string& dir, const char* sig) {
  return root_script(kSignalDaemonScript, {dir, sig, "etcd.pid", "etcd"});
}

bool is_ip_address(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

std::string url(const std::string& host, int port) {
  return "http://" + host + ":" + std::to_string(port);
}

struct MemberStatus {
  bool ok = false;
  std::string member_id, leader, error;
};

MemberStatus member_status(const std::string& host, std::chrono::milliseconds timeout) {
  MemberStatus status;
  try {
    HttpConnection http(host, kEtcdClientPort);
    HttpResponse response = http.post_json("/v3/maintenance/status", "{}", timeout);
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(response.body, ec);
    if (response.status != 200 || ec || !v.is_object()) {
      status.error =
          "HTTP " + std::to_string(response.status) + ": " + response.body.substr(0, 200);
      return status;
    }
    const auto& o = v.get_object();
    auto text = [](const boost::json::value* f) {
      return f && f->is_string() ? std::string(f->get_string()) : std::string();
    };
    if (const auto* header = o.if_contains("header"); header && header->is_object()) {
      status.member_id = text(header->get_object().if_contains("member_id"));
    }
    status.leader = text(o.if_contains("leader"));
    status.ok = !status.member_id.empty();
  } catch (const std::exception& e) {
    status.error = e.what();
  }
  return status;
}

}  // namespace

EtcdDatabase::EtcdDatabase(remote::NodeSet& nodes, DatabaseOptions options)
    : nodes_(nodes), options_(std::move(options)) {}

std::string EtcdDatabase::node_dir(const remote::Node& node) {
  return adapters::node_dir("etcd", node);
}

void EtcdDatabase::log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

void EtcdDatabase::run(const std::string& node, const remote::Command& command) {
  nodes_.session(node).run(command);
}

std::string EtcdDatabase::initial_cluster() const {
  std::string out;
  for (const auto& node : nodes_.nodes()) {
    if (!out.empty()) out += ",";
    out += node.name + "=" + url(node.host, kEtcdPeerPort);
  }
  return out;
}

remote::Command EtcdDatabase::start_command(const remote::Node& node) const {
  return launch_command(node, "start");
}

remote::Command EtcdDatabase::restart_command(const remote::Node& node) const {
  return launch_command(node, "restart");
}

remote::Command EtcdDatabase::launch_command(const remote::Node& node, const char* mode) const {
  // etcd only listens on IP addresses; a node known by name listens on all of its own.
  std::string listen = is_ip_address(node.host) ? node.host : "0.0.0.0";
  return root_script(kStartScript, {node_dir(node),
                                    mode,
                                    "etcd",
                                    "--name",
                                    node.name,
                                    "--data-dir",
                                    node_dir(node) + "/data",
                                    "--listen-peer-urls",
                                    url(listen, kEtcdPeerPort),
                                    "--initial-advertise-peer-urls",
                                    url(node.host, kEtcdPeerPort),
                                    "--listen-client-urls",
                                    url(listen, kEtcdClientPort),
                                    "--advertise-client-urls",
                                    url(node.host, kEtcdClientPort),
                                    "--initial-cluster",
                                    initial_cluster(),
                                    "--initial-cluster-state",
                                    "new",
                                    "--initial-cluster-token",
                                    options_.run_id});
}

ProcessLocation EtcdDatabase::process_location(const remote::Node& node) const {
  return ProcessLocation{node_dir(node) + "/etcd.pid", "etcd"};
}

void EtcdDatabase::setup() {
  if (options_.install_if_missing) {
    nodes_.run_all(root_script(kInstallScript, {}, 15min));
  }
  nodes_.run_each(nodes_.names(), wipe);
  log("etcd: starting " + std::to_string(nodes_.nodes().size()) + " members: " + initial_cluster());
  nodes_.run_each(nodes_.names(), [this](const remote::Node& node) { return start_command(node); });
  if (!wait_healthy(options_.healthy_timeout)) {
    throw DatabaseError("etcd did not become healthy within " +
                        std::to_string(options_.healthy_timeout.count() / 1000) +
                        " s (see each node's etcd.log under " + node_dir(nodes_.nodes().front()) +
                        ")");
  }
  log("etcd: healthy, leader " + [this] {
    auto p = primaries();
    return p.empty() ? std::string("?") : p.front();
  }());
}

void EtcdDatabase::teardown() {
  nodes_.run_each(nodes_.names(), wipe);
}

bool EtcdDatabase::wait_healthy(std::chrono::milliseconds timeout) {
  const auto& nodes = nodes_.nodes();
  std::string problem;
  bool healthy = poll_until(timeout, 200ms, &problem, [&]() -> std::string {
    auto statuses = parallel<MemberStatus>(
        nodes.size(), [&](std::size_t i) { return member_status(nodes[i].host, 1s); });
    for (std::size_t i = 0; i < statuses.size(); ++i) {
      const auto& s = statuses[i];
      if (!s.ok || s.leader.empty() || s.leader == "0" || s.leader != statuses[0].leader)
        return nodes[i].name + ": " + (s.ok ? "no agreed leader" : s.error);
    }
    // Every member must also serve a linearizable read (it needs the leader's read index).
    auto reads = parallel<bool>(nodes.size(), [&](std::size_t i) {
      EtcdClient client(nodes[i].name, nodes[i].host, kEtcdClientPort,
                        ClientOptions{"register", true, 1s});
      Operation read;
      read.f = "read";
      read.key = boost::json::value("health");
      return client.invoke(read).type == OpType::kOk;
    });
    if (std::all_of(reads.begin(), reads.end(), [](bool ok) { return ok; })) return {};
    return "a member cannot serve linearizable reads yet";
  });
  if (!healthy) log("etcd: not healthy: " + problem);
  return healthy;
}

void EtcdDatabase::start(const std::string& node) {
  run(node, start_command(nodes_.node(node)));
}

void EtcdDatabase::kill(const std::string& node) {
  run(node, signal_daemon(node_dir(nodes_.node(node)), "KILL"));
}
void EtcdDatabase::pause(const std::string& node) {
  run(node, signal_daemon(node_dir(nodes_.node(node)), "STOP"));
}
void EtcdDatabase::resume(const std::string& node) {
  run(node, signal_daemon(node_dir(nodes_.node(node)), "CONT"));
}

std::vector<std::string> EtcdDatabase::primaries() {
  const auto& nodes = nodes_.nodes();
  auto statuses = parallel<MemberStatus>(
      nodes.size(), [&](std::size_t i) { return member_status(nodes[i].host, 500ms); });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (statuses[i].ok && statuses[i].member_id == statuses[i].leader) out.push_back(nodes[i].name);
  }
  return out;
}

void EtcdDatabase::download_logs(const std::filesystem::path& dir) {
  download_node_files(nodes_, nodes_.names(), "etcd", {"etcd.log"}, dir, options_.log);
}

std::string EtcdDatabase::version() {
  std::string out =
      nodes_.session(nodes_.names().front()).run(remote::Command{"etcd", "--version"}).out;
  return version_after(out, "etcd Version: ", "\n");
}

std::unique_ptr<Client> EtcdDatabase::client(const std::string& node,
                                             const ClientOptions& options) {
  return std::make_unique<EtcdClient>(node, nodes_.node(node).host, kEtcdClientPort, options);
}

}  // namespace faultline::adapters
