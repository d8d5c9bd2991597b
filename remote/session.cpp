#include "remote/session.h"

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace faultline::remote {
namespace {

using Clock = std::chrono::steady_clock;

std::string endpoint(const Node& node) {
  return node.user + "@" + node.host + ":" + std::to_string(node.port);
}

std::string known_hosts_path(const Node& node) {
  if (!node.known_hosts.empty()) return node.known_hosts;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + "/.ssh/known_hosts";
}

// Not retried: the node answered, and said no.
class PermanentFailure : public NodeUnreachable {
 public:
  using NodeUnreachable::NodeUnreachable;
};

// Exit status and signal arrive as channel requests; the callbacks record them.
struct ExitInfo {
  bool status_seen = false;
  int status = -1;
  std::string signal;
};

void on_exit_status(ssh_session, ssh_channel, int status, void* userdata) {
  auto* info = static_cast<ExitInfo*>(userdata);
  info->status_seen = true;
  info->status = status;
}

void on_exit_signal(ssh_session, ssh_channel, const char* signal, int, const char*, const char*,
                    void* userdata) {
  auto* info = static_cast<ExitInfo*>(userdata);
  info->status_seen = true;
  info->signal = signal ? signal : "?";
}

// Owns a channel; closes and frees it on every path out.
// The callbacks live on exec's stack: they are unregistered before the channel is released,
// since libssh keeps a channel the peer has not closed yet and would call them later.
struct ChannelGuard {
  ssh_channel channel = nullptr;
  ssh_channel_callbacks callbacks = nullptr;
  ~ChannelGuard() {
    if (channel) {
      if (callbacks) ssh_remove_channel_callbacks(channel, callbacks);
      if (ssh_channel_is_open(channel)) ssh_channel_close(channel);
      ssh_channel_free(channel);
    }
  }
};

struct EventGuard {
  ssh_event event = nullptr;
  ssh_session session = nullptr;
  ~EventGuard() {
    if (event) {
      if (session) ssh_event_remove_session(event, session);
      ssh_event_free(event);
    }
  }
};

}  // namespace

struct SshSession::Impl {
  ssh_session session = nullptr;
  ~Impl() {
    if (session) {
      ssh_disconnect(session);
      ssh_free(session);
    }
  }
};

SshSession::SshSession(Node node, SessionOptions options)
    : node_(std::move(node)), options_(options) {}

SshSession::~SshSession() = default;

bool SshSession::connected() const {
  std::lock_guard lock(mutex_);
  return impl_ && impl_->session && ssh_is_connected(impl_->session);
}

void SshSession::disconnect() {
  std::lock_guard lock(mutex_);
  impl_.reset();
}

void SshSession::connect() {
  std::lock_guard lock(mutex_);
  connect_locked();
}

void SshSession::connect_locked() {
  if (impl_ && impl_->session && ssh_is_connected(impl_->session)) return;
  impl_.reset();
  auto backoff = options_.backoff;
  for (int attempt = 1;; ++attempt) {
    auto impl = std::make_unique<Impl>();
    impl->session = ssh_new();
    if (!impl->session) throw NodeUnreachable(node_.name, "cannot allocate an SSH session");
    ssh_session s = impl->session;
    long timeout_usec = static_cast<long>(options_.connect_timeout.count()) * 1000;
    int port = node_.port;
    int verbosity = SSH_LOG_NOLOG;
    int nodelay = 1;
    int process_config = 0;  // only what the node says; ~/.ssh/config could silently override it
    ssh_options_set(s, SSH_OPTIONS_HOST, node_.host.c_str());
    ssh_options_set(s, SSH_OPTIONS_PORT, &port);
    ssh_options_set(s, SSH_OPTIONS_USER, node_.user.c_str());
    ssh_options_set(s, SSH_OPTIONS_TIMEOUT_USEC, &timeout_usec);
    ssh_options_set(s, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
    ssh_options_set(s, SSH_OPTIONS_NODELAY, &nodelay);
    ssh_options_set(s, SSH_OPTIONS_PROCESS_CONFIG, &process_config);
    std::string known_hosts = known_hosts_path(node_);
    ssh_options_set(s, SSH_OPTIONS_KNOWNHOSTS, known_hosts.c_str());
    try {
      if (ssh_connect(s) != SSH_OK) {
        throw NodeUnreachable(node_.name,
                              "cannot connect to " + endpoint(node_) + ": " + ssh_get_error(s));
      }
      if (node_.strict_host_keys) {
        switch (ssh_session_is_known_server(s)) {
          case SSH_KNOWN_HOSTS_OK:
            break;
          case SSH_KNOWN_HOSTS_CHANGED:
          case SSH_KNOWN_HOSTS_OTHER:
            throw HostKeyError(node_.name,
                               "host key of " + node_.host + ":" + std::to_string(node_.port) +
                                   " does not match " + known_hosts +
                                   " (refusing to connect: possible man-in-the-middle; if the node "
                                   "was reinstalled, update that file, or pass "
                                   "--no-strict-host-keys to skip the check)");
          case SSH_KNOWN_HOSTS_UNKNOWN:
          case SSH_KNOWN_HOSTS_NOT_FOUND:
            throw HostKeyError(node_.name, "host key of " + node_.host + ":" +
                                               std::to_string(node_.port) + " is not in " +
                                               known_hosts +
                                               " (add it, e.g. with ssh-keyscan, or pass "
                                               "--no-strict-host-keys to skip the check)");
          default:
            throw HostKeyError(node_.name, "cannot check the host key against " + known_hosts +
                                               ": " + ssh_get_error(s));
        }
      }
      int auth = SSH_AUTH_ERROR;
      if (!node_.key_file.empty()) {
        ssh_key key = nullptr;
        if (ssh_pki_import_privkey_file(node_.key_file.c_str(), nullptr, nullptr, nullptr, &key) !=
            SSH_OK) {
          throw PermanentFailure(node_.name, "cannot read private key " + node_.key_file);
        }
        auth = ssh_userauth_publickey(s, nullptr, key);
        ssh_key_free(key);
      } else {
        auth = ssh_userauth_publickey_auto(s, nullptr, nullptr);
      }
      if (auth != SSH_AUTH_SUCCESS) {
        throw PermanentFailure(
            node_.name, "authentication as " + node_.user + " on " + node_.host + " refused (" +
                            (node_.key_file.empty() ? std::string("ssh-agent and default keys")
                                                    : "key " + node_.key_file) +
                            ")" +
                            (auth == SSH_AUTH_ERROR ? std::string(": ") + ssh_get_error(s) : ""));
      }
      impl_ = std::move(impl);
      return;
    } catch (const HostKeyError&) {
      throw;
    } catch (const PermanentFailure& e) {
      throw NodeUnreachable(node_.name, e.problem());
    } catch (const NodeUnreachable& e) {
      if (attempt >= options_.attempts) {
        throw NodeUnreachable(node_.name,
                              e.problem() + " (after " + std::to_string(attempt) + " attempts)");
      }
    }
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }
}

CommandResult SshSession::exec(const Command& command) {
  std::lock_guard lock(mutex_);
  return exec_locked(command);
}

CommandResult SshSession::exec_locked(const Command& command) {
  const std::string display = command.display();
  SudoPolicy policy{node_.sudo, node_.sudo_password.has_value(), node_.user == "root"};
  std::string line;
  try {
    line = command_line(command, policy);
  } catch (const std::invalid_argument& e) {
    throw RemoteError(node_.name, display, std::nullopt, "", e.what());
  }
  std::string input = command.stdin_data;
  if ((command.sudo || node_.sudo) && node_.user != "root" && node_.sudo_password) {
    input = *node_.sudo_password + "\n" + input;
  }

  const auto start = Clock::now();
  const auto deadline = start + command.timeout;
  ExitInfo exit;
  ssh_channel_callbacks_struct callbacks{};
  ssh_callbacks_init(&callbacks);
  callbacks.userdata = &exit;
  callbacks.channel_exit_status_function = on_exit_status;
  callbacks.channel_exit_signal_function = on_exit_signal;

  // Open the channel and start the command; nothing has run until exec succeeds, so these
  // steps are retried (reconnecting if the connection dropped since the last command).
  ChannelGuard guard;
  auto backoff = options_.backoff;
  for (int attempt = 1;; ++attempt) {
    connect_locked();
    ssh_session s = impl_->session;
    guard.channel = ssh_channel_new(s);
    std::string problem;
    if (!guard.channel) {
      problem = "cannot allocate a channel";
    } else if (ssh_channel_open_session(guard.channel) != SSH_OK) {
      problem = std::string("cannot open a channel: ") + ssh_get_error(s);
    } else {
      ssh_set_channel_callbacks(guard.channel, &callbacks);
      guard.callbacks = &callbacks;
      if (ssh_channel_request_exec(guard.channel, line.c_str()) == SSH_OK) break;
      problem = std::string("cannot start the command: ") + ssh_get_error(s);
    }
    if (guard.channel) {
      if (guard.callbacks) ssh_remove_channel_callbacks(guard.channel, guard.callbacks);
      ssh_channel_free(guard.channel);
      guard.channel = nullptr;
      guard.callbacks = nullptr;
    }
    if (!ssh_is_connected(s)) impl_.reset();
    if (attempt >= options_.attempts || Clock::now() + backoff >= deadline) {
      throw RemoteError(node_.name, display, std::nullopt, "", problem);
    }
    std::this_thread::sleep_for(backoff);
    backoff *= 2;
  }

  ssh_session s = impl_->session;
  ssh_channel ch = guard.channel;
  EventGuard events;
  events.event = ssh_event_new();
  if (!events.event || ssh_event_add_session(events.event, s) != SSH_OK) {
    throw RemoteError(node_.name, display, std::nullopt, "", "cannot poll the session");
  }
  events.session = s;

  CommandResult result;
  std::size_t sent = 0;
  bool eof_sent = false;
  char buffer[65536];
  auto broken = [&](const std::string& what) {
    std::string tail_text = tail(result.err);
    // The connection is unusable: drop it (the next exec reconnects).
    ssh_event_remove_session(events.event, s);
    events.session = nullptr;
    ssh_remove_channel_callbacks(guard.channel, guard.callbacks);
    ssh_channel_free(guard.channel);
    guard.channel = nullptr;
    impl_.reset();
    return RemoteError(node_.name, display, std::nullopt, tail_text, what);
  };

  for (;;) {
    // Feed stdin only as far as the peer's window allows, so that writing never blocks
    // while the command waits for us to read its output.
    while (!eof_sent && sent < input.size()) {
      uint32_t window = ssh_channel_window_size(ch);
      if (window == 0) break;
      std::size_t chunk = std::min<std::size_t>({window, input.size() - sent, 32768});
      int n = ssh_channel_write(ch, input.data() + sent, static_cast<uint32_t>(chunk));
      if (n == SSH_ERROR) throw broken(std::string("writing stdin failed: ") + ssh_get_error(s));
      sent += static_cast<std::size_t>(n);
      if (n == 0) break;
    }
    if (!eof_sent && sent == input.size()) {
      if (ssh_channel_send_eof(ch) == SSH_ERROR) {
        throw broken(std::string("closing stdin failed: ") + ssh_get_error(s));
      }
      eof_sent = true;
    }

    bool got_data = false;
    for (int is_stderr = 0; is_stderr <= 1; ++is_stderr) {
      for (;;) {
        int n = ssh_channel_read_nonblocking(ch, buffer, sizeof buffer, is_stderr);
        if (n == SSH_ERROR) throw broken(std::string("reading output failed: ") + ssh_get_error(s));
        if (n <= 0) break;
        (is_stderr ? result.err : result.out).append(buffer, static_cast<std::size_t>(n));
        got_data = true;
      }
    }
    bool drained =
        ssh_channel_is_eof(ch) && ssh_channel_poll(ch, 0) <= 0 && ssh_channel_poll(ch, 1) <= 0;
    if (drained && (exit.status_seen || ssh_channel_is_closed(ch))) break;
    if (ssh_channel_is_closed(ch) && !got_data) break;

    auto now = Clock::now();
    if (now >= deadline) {
      ssh_channel_request_send_signal(ch, "KILL");
      std::string tail_text = tail(result.err);
      throw CommandTimeout(node_.name, display, std::nullopt, tail_text,
                           "timed out after " + std::to_string(command.timeout.count()) + " ms");
    }
    if (got_data) continue;
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    int rc = ssh_event_dopoll(events.event, static_cast<int>(std::clamp<long long>(wait, 1, 1000)));
    if (rc == SSH_ERROR && !ssh_is_connected(s)) {
      throw broken("connection lost during the command");
    }
  }
  result.exit_status = exit.signal.empty() ? exit.status : -1;
  if (!exit.status_seen) result.exit_status = ssh_channel_get_exit_status(ch);
  result.exit_signal = exit.signal;
  result.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  return result;
}

CommandResult SshSession::run(const Command& command) {
  CommandResult result = exec(command);
  if (!result.ok()) {
    std::string problem = result.exit_signal.empty()
                              ? "exited with status " + std::to_string(result.exit_status)
                              : "killed by signal " + result.exit_signal;
    throw RemoteError(node_.name, command.display(), result.exit_status, tail(result.err), problem);
  }
  return result;
}

void SshSession::upload_data(const std::string& data, const std::string& remote_path, int mode,
                             bool as_root) {
  char mode_text[8];
  std::snprintf(mode_text, sizeof mode_text, "%o", mode & 07777);
  // The path and mode are arguments of the script, never part of it.
  Command command{"sh", "-c", "cat > \"$1\" && chmod \"$2\" \"$1\"", "sh", remote_path, mode_text};
  command.stdin_data = data;
  command.sudo = as_root;
  command.timeout = std::chrono::milliseconds(30'000 + data.size() / 1000);  // >= 1 MB/s
  run(command);
}

void SshSession::upload(const std::filesystem::path& local_path, const std::string& remote_path,
                        int mode, bool as_root) {
  std::ifstream in(local_path, std::ios::binary);
  if (!in) throw ConfigError("cannot read " + local_path.string());
  std::ostringstream data;
  data << in.rdbuf();
  upload_data(data.str(), remote_path, mode, as_root);
}

std::string SshSession::download_data(const std::string& remote_path, bool as_root) {
  Command command{"cat", "--", remote_path};
  command.sudo = as_root;
  command.timeout = std::chrono::milliseconds(120'000);
  return run(command).out;
}

void SshSession::download(const std::string& remote_path, const std::filesystem::path& local_path,
                          bool as_root) {
  std::string data = download_data(remote_path, as_root);
  std::ofstream out(local_path, std::ios::binary | std::ios::trunc);
  if (!out) throw ConfigError("cannot write " + local_path.string());
  out << data;
  if (!out.flush()) throw ConfigError("writing " + local_path.string() + " failed");
}

}  // namespace faultline::remote
