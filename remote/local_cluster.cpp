// `cluster up`: namespaces, bridge and veths (with `ip -batch`), keys (ssh-keygen), and one
// sshd per node started inside its namespace. See local_cluster.h for the layout.

#include "remote/local_cluster.h"

#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include "remote/errors.h"
#include "remote/local_cluster_internal.h"
#include "remote/local_exec.h"

namespace faultline::remote {
namespace fs = std::filesystem;
namespace {

constexpr const char* kSshd = "/usr/sbin/sshd";  // absolute: sshd re-executes itself

std::string peer_name(const std::string& name, int index) {
  std::string veth = cluster_veth_name(name, index);
  veth[10] = 'p';  // "fl" + 8 hex digits, then 'v' -> 'p'
  return veth;
}

// Holds an exclusive lock while a cluster is made, so that two `up`s never pick one subnet.
class MachineLock {
 public:
  MachineLock() {
    fd_ = ::open("/run/faultline-clusters.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~MachineLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  MachineLock(const MachineLock&) = delete;
  MachineLock& operator=(const MachineLock&) = delete;

 private:
  int fd_ = -1;
};

// 10.77.X.0/24: X from the name's hash, moved on while that subnet is already routed or
// addressed on this machine (another cluster, a VPN...).
int choose_subnet(const std::string& name) {
  std::string used =
      check_local({"ip", "-4", "route", "show"}) + check_local({"ip", "-4", "-o", "addr", "show"});
  unsigned hash = 0;
  for (unsigned char c : name) hash = hash * 31 + c;
  for (int attempt = 0; attempt < 250; ++attempt) {
    int x = 1 + static_cast<int>((hash + attempt) % 250);
    std::string prefix = "10.77." + std::to_string(x) + ".";
    if (used.find(prefix) == std::string::npos) return x;
  }
  throw ConfigError("no free 10.77.X.0/24 subnet for the local cluster");
}

void write_file(const fs::path& path, const std::string& text, fs::perms perms) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  out << text;
  if (!out.flush()) throw std::runtime_error("writing " + path.string() + " failed");
  out.close();
  fs::permissions(path, perms);
}

std::string sshd_config(const fs::path& dir, const fs::path& node, const std::string& address) {
  return "# Written by faultline cluster up.\n"
         "Port 22\n"
         "ListenAddress " +
         address +
         "\n"
         "HostKey " +
         (node / "ssh_host_ed25519_key").string() +
         "\n"
         "PidFile " +
         (node / "sshd.pid").string() +
         "\n"
         "AuthorizedKeysFile " +
         (dir / "authorized_keys").string() +
         "\n"
         "PermitRootLogin prohibit-password\n"
         "PubkeyAuthentication yes\n"
         "PasswordAuthentication no\n"
         "KbdInteractiveAuthentication no\n"
         "UsePAM no\n"
         "StrictModes no\n"
         "UseDNS no\n"
         "PrintMotd no\n"
         "PrintLastLog no\n"
         "MaxStartups 200\n"
         "MaxSessions 200\n"
         "LogLevel ERROR\n"
         "Subsystem sftp internal-sftp\n";
}

struct SshdLaunch {
  std::string netns_path, hostname, config, log, private_tmp, empty_file, hidden_rc;
};

// Forks a child that enters the node's network namespace, makes its own UTS and mount
// namespaces (hostname, private /tmp, hidden ~/.bashrc) and execs sshd, which daemonizes.
// Only system calls between fork and exec: all strings are prepared before.
pid_t launch_sshd(const SshdLaunch& launch) {
  const char* argv[] = {kSshd, "-f", launch.config.c_str(), "-E", launch.log.c_str(), nullptr};
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid > 0) return pid;
  int fd = ::open(launch.netns_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) ::_exit(10);
  if (::unshare(CLONE_NEWNS | CLONE_NEWUTS) != 0) ::_exit(11);
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) ::_exit(12);
  if (::sethostname(launch.hostname.data(), launch.hostname.size()) != 0) ::_exit(13);
  if (::mount(launch.private_tmp.c_str(), "/tmp", nullptr, MS_BIND, nullptr) != 0) ::_exit(14);
  if (!launch.hidden_rc.empty() && ::mount(launch.empty_file.c_str(), launch.hidden_rc.c_str(),
                                           nullptr, MS_BIND, nullptr) != 0) {
    ::_exit(15);
  }
  ::execv(kSshd, const_cast<char* const*>(argv));
  ::_exit(16);
}

std::string launch_failure(int code) {
  switch (code) {
    case 10:
      return "cannot enter the network namespace";
    case 11:
      return "cannot create UTS/mount namespaces (needs root)";
    case 12:
      return "cannot make mounts private";
    case 13:
      return "cannot set the hostname";
    case 14:
      return "cannot mount the private /tmp";
    case 15:
      return "cannot hide ~/.bashrc";
    case 16:
      return std::string("cannot execute ") + kSshd + " (is openssh-server installed?)";
    default:
      return "sshd exited with status " + std::to_string(code);
  }
}

void bring_up(const LocalClusterSpec& spec, const fs::path& dir, NodesFile& file) {
  const std::string& name = spec.name;
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms(0700));
  fs::create_directories("/run/sshd");  // sshd's privilege separation directory

  // Keys: faultline's client key and one host key per node.
  check_local({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "faultline@" + name, "-f",
               (dir / "id_ed25519").string()});
  fs::copy_file(dir / "id_ed25519.pub", dir / "authorized_keys",
                fs::copy_options::overwrite_existing);
  write_file(dir / "empty", "", fs::perms(0644));

  MachineLock lock;
  const int x = choose_subnet(name);
  const std::string net = "10.77." + std::to_string(x) + ".";
  file.subnet = net + "0/24";
  const std::string bridge = cluster_bridge_name(name);
  std::string batch = "link add " + bridge + " type bridge\n" + "link set " + bridge + " alias " +
                      detail::kBridgeAliasPrefix + name + "\n" + "addr add " + net + "254/24 dev " +
                      bridge + "\n" + "link set " + bridge + " up\n";
  for (int i = 1; i <= spec.nodes; ++i) {
    std::string veth = cluster_veth_name(name, i), peer = peer_name(name, i);
    std::string netns = cluster_netns_name(name, i);
    batch += "netns add " + netns + "\n" + "link add " + veth + " type veth peer name " + peer +
             "\n" + "link set " + veth + " master " + bridge + "\n" + "link set " + veth + " up\n" +
             "link set " + peer + " netns " + netns + "\n";
  }
  check_local({"ip", "-batch", "-"}, {batch, std::chrono::seconds(30)});
  for (int i = 1; i <= spec.nodes; ++i) {
    std::string inner =
        "link set lo up\n"
        "link set " +
        peer_name(name, i) + " name eth0\n" + "addr add " + net + std::to_string(i) +
        "/24 dev eth0\n" + "link set eth0 up\n";
    check_local({"ip", "-n", cluster_netns_name(name, i), "-batch", "-"}, {inner});
  }

  // Hide root's ~/.bashrc from the nodes' shells (it may run slow things on every command).
  std::string hidden_rc;
  if (const passwd* root = ::getpwuid(0)) {
    fs::path rc = fs::path(root->pw_dir) / ".bashrc";
    if (fs::is_regular_file(rc)) hidden_rc = rc.string();
  }
  std::string known_hosts;
  std::vector<pid_t> launchers;
  for (int i = 1; i <= spec.nodes; ++i) {
    fs::path node = detail::node_dir(dir, i);
    fs::create_directories(node / "tmp");
    fs::permissions(node / "tmp", fs::perms(01777));
    fs::remove(node / "ssh_host_ed25519_key");
    fs::remove(node / "ssh_host_ed25519_key.pub");
    check_local({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "n" + std::to_string(i), "-f",
                 (node / "ssh_host_ed25519_key").string()});
    std::string host_key = detail::read_small_file(node / "ssh_host_ed25519_key.pub");
    std::string address = net + std::to_string(i);
    // "type base64" only: the comment is dropped.
    auto second_space = host_key.find(' ', host_key.find(' ') + 1);
    known_hosts += address + " " + host_key.substr(0, second_space) + "\n";
    write_file(node / "sshd_config", sshd_config(dir, node, address), fs::perms(0644));
    SshdLaunch launch{std::string(detail::kNetnsDir) + "/" + cluster_netns_name(name, i),
                      "n" + std::to_string(i),
                      (node / "sshd_config").string(),
                      (node / "sshd.log").string(),
                      (node / "tmp").string(),
                      (dir / "empty").string(),
                      hidden_rc};
    launchers.push_back(launch_sshd(launch));
  }
  write_file(dir / "known_hosts", known_hosts, fs::perms(0644));

  // Each launcher exits once sshd has daemonized; sshd writes its pid file once it listens.
  for (int i = 1; i <= spec.nodes; ++i) {
    int status = 0;
    while (::waitpid(launchers[i - 1], &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::string log = detail::read_small_file(detail::node_dir(dir, i) / "sshd.log");
      throw std::runtime_error("node n" + std::to_string(i) + ": " +
                               launch_failure(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                               (log.empty() ? "" : ": " + log));
    }
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (int i = 1; i <= spec.nodes; ++i) {
    fs::path node = detail::node_dir(dir, i);
    while (detail::read_pid_file(node / "sshd.pid") == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        throw std::runtime_error("node n" + std::to_string(i) + ": sshd did not start: " +
                                 detail::read_small_file(node / "sshd.log"));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  for (int i = 1; i <= spec.nodes; ++i) {
    Node node;
    node.name = "n" + std::to_string(i);
    node.host = net + std::to_string(i);
    node.key_file = (dir / "id_ed25519").string();
    node.known_hosts = (dir / "known_hosts").string();
    node.local = true;
    node.netns = cluster_netns_name(name, i);
    node.cluster = name;
    file.nodes.push_back(node);
  }
  write_nodes_file(file, dir / "nodes.json");
}

}  // namespace

fs::path default_cluster_dir(const std::string& name) {
  if (::geteuid() == 0) return fs::path("/var/lib/faultline/clusters") / name;
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : "/tmp") / ".faultline" / "clusters" / name;
}

NodesFile cluster_up(const LocalClusterSpec& spec) {
  validate_cluster_name(spec.name);
  if (spec.nodes < 1 || spec.nodes > 50) {
    throw ConfigError("--nodes must be between 1 and 50 (got " + std::to_string(spec.nodes) + ")");
  }
  fs::path dir = detail::resolved_dir(spec.name, spec.dir);
  dir = fs::absolute(dir).lexically_normal();
  // Paths go into sshd_config unquoted.
  if (dir.string().find_first_of(" \t\n\"'#\\") != std::string::npos) {
    throw ConfigError("cluster directory '" + dir.string() + "' must not contain spaces or quotes");
  }
  // Each node mounts a private /tmp, where sshd would no longer find its keys and config.
  if (dir.string() == "/tmp" || dir.string().rfind("/tmp/", 0) == 0) {
    throw ConfigError("cluster directory '" + dir.string() +
                      "' must not be under /tmp (each node has its own /tmp)");
  }
  if (::geteuid() != 0) {
    throw ConfigError("`cluster up` needs root (network namespaces, sshd)");
  }
  cluster_down(spec.name, dir);
  NodesFile file;
  file.local = true;
  file.cluster = spec.name;
  file.dir = dir.string();
  try {
    bring_up(spec, dir, file);
  } catch (...) {
    try {
      cluster_down(spec.name, dir);
    } catch (const std::exception&) {
      // Report the first failure; the second would only hide it.
    }
    throw;
  }
  return file;
}

}  // namespace faultline::remote
