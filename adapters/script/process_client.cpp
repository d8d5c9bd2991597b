#include "adapters/script/process_client.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

extern char** environ;

namespace faultline::adapters {
// An owned file descriptor. Not file-local: ProcessClient::Child, a class of the header's,
// holds them (a unity build would warn of a member of a file-local type).
namespace process_client_detail {
struct Fd {
  int fd = -1;
  Fd() = default;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { close(); }
  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};
}  // namespace process_client_detail
using process_client_detail::Fd;

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxReply = 64 << 20;  // a longer line is not a reply

void make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  read_end.fd = fds[0];
  write_end.fd = fds[1];
}

bool is_executable_file(const std::filesystem::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

std::string exit_description(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("died of signal ") + strsignal(WTERMSIG(status));
  return "ended";
}

std::string shortened(std::string text, std::size_t limit = 200) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.size() > limit) text = text.substr(0, limit) + "...";
  return text;
}

}  // namespace

void check_program_startable(const std::vector<std::string>& argv,
                             const std::filesystem::path& directory) {
  if (argv.empty() || argv.front().empty()) throw DatabaseError("the client command is empty");
  const std::string& program = argv.front();
  if (program.find('/') != std::string::npos) {
    std::filesystem::path path = program;
    if (path.is_relative()) path = directory / path;
    if (!is_executable_file(path))
      throw DatabaseError("client program " + path.string() + " is not an executable file");
    return;
  }
  const char* path_env = std::getenv("PATH");
  std::string search = path_env ? path_env : "/usr/bin:/bin";
  std::size_t begin = 0;
  while (begin <= search.size()) {
    std::size_t end = search.find(':', begin);
    if (end == std::string::npos) end = search.size();
    std::filesystem::path dir = search.substr(begin, end - begin);
    if (dir.empty()) dir = directory;
    if (is_executable_file(dir / program)) return;
    begin = end + 1;
  }
  throw DatabaseError("client program '" + program + "' not found in PATH");
}

// One running client program: its pipes, its stderr reader, its process group.
class ProcessClient::Child {
 public:
  Child(const ClientProgram& program, std::int64_t process) {
    static const bool sigpipe_ignored = [] { return ::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
    (void)sigpipe_ignored;
    Fd in_r, out_w, err_w;
    make_pipe(in_r, in_w_);
    make_pipe(out_r_, out_w);
    make_pipe(err_r_, err_w);
    make_pipe(wake_r_, wake_w_);

    // The environment: the controller's, without the names the program gets from us.
    std::vector<std::string> env;
    Environment own = program.environment;
    own.emplace_back("FAULTLINE_PROCESS", std::to_string(process));
    for (char** e = environ; *e; ++e) {
      std::string entry = *e;
      std::string name = entry.substr(0, entry.find('='));
      bool replaced = false;
      for (const auto& [n, v] : own) replaced = replaced || n == name;
      if (!replaced) env.push_back(entry);
    }
    for (const auto& [n, v] : own) env.push_back(n + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv = program.argv;
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_r.fd, 0);
    posix_spawn_file_actions_adddup2(&actions, out_w.fd, 1);
    posix_spawn_file_actions_adddup2(&actions, err_w.fd, 2);
    if (!program.directory.empty())
      posix_spawn_file_actions_addchdir_np(&actions, program.directory.c_str());
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setpgroup(&attr, 0);  // its own group: retiring it kills its children too
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
    int rc = posix_spawnp(&pid_, args[0], &actions, &attr, args.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
      throw std::runtime_error("cannot start " + program.argv.front() + ": " + std::strerror(rc));
    }
    ::fcntl(in_w_.fd, F_SETFL, O_NONBLOCK);
    ::fcntl(out_r_.fd, F_SETFL, O_NONBLOCK);
    const std::string prefix = "client " + std::to_string(process) + " (" + program.node + "): ";
    stderr_reader_ =
        std::thread([this, prefix, log = program.log] { forward_stderr(prefix, log); });
  }

  ~Child() {
    in_w_.close();  // a well-behaved program exits at the end of its input
    const auto until = Clock::now() + std::chrono::milliseconds(200);
    while (!reaped_ && Clock::now() < until) {
      reap(WNOHANG);
      if (!reaped_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::kill(-pid_, SIGKILL);  // the group: also whatever the program started
    if (!reaped_) reap(0);
    char wake = 1;
    (void)!::write(wake_w_.fd, &wake, 1);
    if (stderr_reader_.joinable()) stderr_reader_.join();
  }

  // Writes `line` and a newline within the deadline. False with *why when it cannot.
  bool send(const std::string& line, Clock::time_point deadline, std::string* why) {
    std::string data = line + "\n";
    std::size_t sent = 0;
    while (sent < data.size()) {
      ssize_t w = ::write(in_w_.fd, data.data() + sent, data.size() - sent);
      if (w > 0) {
        sent += static_cast<std::size_t>(w);
        continue;
      }
      if (w < 0 && errno == EINTR) continue;
      if (w < 0 && errno != EAGAIN) {
        *why = "the client " + ended() + " (writing its input: " + std::strerror(errno) + ")";
        return false;
      }
      if (!wait_for(in_w_.fd, POLLOUT, deadline)) {
        *why = "the client did not read its input in time";
        return false;
      }
    }
    return true;
  }

  // The next line on stdout (without the newline) within the deadline. False with *why: a
  // timeout, the end of its output, or a line too long.
  bool receive(std::string* line, Clock::time_point deadline, std::string* why) {
    while (true) {
      auto newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        *line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        return true;
      }
      if (buffer_.size() > kMaxReply) {
        *why = "the client's reply is longer than " + std::to_string(kMaxReply >> 20) + " MiB";
        return false;
      }
      char chunk[65536];
      ssize_t r = ::read(out_r_.fd, chunk, sizeof chunk);
      if (r > 0) {
        buffer_.append(chunk, static_cast<std::size_t>(r));
        continue;
      }
      if (r == 0) {
        *why = "the client " + ended() + " without replying";
        return false;
      }
      if (errno == EINTR) continue;
      if (errno != EAGAIN) {
        *why = std::string("reading the client's reply: ") + std::strerror(errno);
        return false;
      }
      if (!wait_for(out_r_.fd, POLLIN, deadline)) {
        *why = "timeout: no reply";
        return false;
      }
    }
  }

 private:
  static bool wait_for(int fd, short events, Clock::time_point deadline) {
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd, events, 0};
      int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
      if (ready > 0) return true;  // readable, writable, or hung up: the read/write says which
      if (ready < 0 && errno != EINTR) return false;
    }
  }

  // How the program ended ("exited with status 3"), waiting a moment for it.
  std::string ended() {
    const auto until = Clock::now() + std::chrono::milliseconds(500);
    while (!reaped_ && Clock::now() < until) {
      reap(WNOHANG);
      if (!reaped_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return reaped_ ? exit_description(status_) : "closed its output";
  }

  void reap(int flags) {
    int status = 0;
    pid_t r;
    while ((r = ::waitpid(pid_, &status, flags)) < 0 && errno == EINTR) {
    }
    if (r == pid_) {
      reaped_ = true;
      status_ = status;
    } else if (r < 0) {
      reaped_ = true;  // not our child any more (nothing to wait for)
    }
  }

  void forward_stderr(const std::string& prefix, const Logger& log) {
    std::string pending;
    char chunk[4096];
    while (true) {
      pollfd fds[2] = {{err_r_.fd, POLLIN, 0}, {wake_r_.fd, POLLIN, 0}};
      int ready = ::poll(fds, 2, -1);
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0 || (fds[1].revents && !fds[0].revents)) break;
      ssize_t r = ::read(err_r_.fd, chunk, sizeof chunk);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      pending.append(chunk, static_cast<std::size_t>(r));
      std::size_t newline;
      while ((newline = pending.find('\n')) != std::string::npos) {
        if (log) log(prefix + shortened(pending.substr(0, newline), 2000));
        pending.erase(0, newline + 1);
      }
      if (pending.size() > 2000) {
        if (log) log(prefix + shortened(pending, 2000));
        pending.clear();
      }
    }
    if (!pending.empty() && log) log(prefix + shortened(pending, 2000));
  }

  Fd in_w_, out_r_, err_r_, wake_r_, wake_w_;
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string buffer_;
  std::thread stderr_reader_;
};

ProcessClient::ProcessClient(ClientProgram program, ClientOptions options)
    : program_(std::move(program)), options_(std::move(options)) {}

ProcessClient::~ProcessClient() = default;

std::string ProcessClient::invocation_line(const Operation& op) {
  boost::json::object line;
  line["f"] = op.f.view();
  if (op.key) line["key"] = *op.key;
  line["value"] = op.value;
  for (const auto& [name, value] : op.extra) {
    if (!line.contains(name)) line[name] = value;
  }
  return boost::json::serialize(line);
}

bool ProcessClient::completion(const std::string& line, Operation& done) {
  boost::system::error_code ec;
  boost::json::value reply = boost::json::parse(line, ec);
  const boost::json::object* object = !ec ? reply.if_object() : nullptr;
  const boost::json::value* type = object ? object->if_contains("type") : nullptr;
  const boost::json::string* type_name = type ? type->if_string() : nullptr;
  auto parsed = type_name ? parse_op_type(std::string_view(*type_name)) : std::nullopt;
  if (!parsed || *parsed == OpType::kInvoke) return false;
  done.type = *parsed;
  if (done.type == OpType::kOk) {
    if (const auto* value = object->if_contains("value")) done.value = *value;
  } else if (const auto* error = object->if_contains("error")) {
    done.error = *error;
  } else {
    done.error = boost::json::value("the client gave no error");
  }
  if (const auto* node = object->if_contains("node"); node && node->is_string())
    done.node = std::string(node->get_string());
  return true;
}

Operation ProcessClient::retire(Operation done, const std::string& why) {
  done.type = OpType::kInfo;
  done.error = boost::json::value(why);
  child_.reset();
  if (program_.log) {
    program_.log("client " + std::to_string(process_) + " (" + program_.node +
                 "): retired: " + why);
  }
  return done;
}

Operation ProcessClient::invoke(const Operation& op) {
  Operation done = op;
  done.node = program_.node;
  auto deadline = Clock::now() + options_.timeout;
  if (!child_ || process_ != op.process) {
    child_.reset();
    process_ = op.process;
    try {
      child_ = std::make_unique<Child>(program_, op.process);
    } catch (const std::exception& e) {
      done.type = OpType::kFail;  // nothing was sent
      done.error = boost::json::value(std::string("client not started: ") + e.what());
      return done;
    }
    deadline += program_.startup_allowance;
  }
  std::string why, line;
  if (!child_->send(invocation_line(op), deadline, &why)) return retire(done, why);
  if (!child_->receive(&line, deadline, &why)) {
    if (why.rfind("timeout", 0) == 0)
      why = "timeout: no reply within " + std::to_string(options_.timeout.count()) + " ms";
    return retire(done, why);
  }
  if (!completion(line, done)) {
    return retire(done, "the client's reply is not {\"type\":\"ok\"|\"fail\"|\"info\",...}: " +
                            shortened(line));
  }
  return done;
}

}  // namespace faultline::adapters
