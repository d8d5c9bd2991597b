#include "nemesis/context.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <exception>

#include "nemesis/errors.h"
#include "remote/errors.h"

namespace faultline::nemesis {
namespace {

bool is_ipv4(const std::string& text) {
  in_addr addr{};
  return inet_pton(AF_INET, text.c_str(), &addr) == 1;
}

std::string resolve_ipv4(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    throw FaultFailed("cannot resolve node host '" + host + "' to an IPv4 address");
  }
  char text[INET_ADDRSTRLEN] = {};
  const auto* sin = reinterpret_cast<const sockaddr_in*>(found->ai_addr);
  inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text);
  freeaddrinfo(found);
  return text;
}

std::string first_line(const std::string& text) {
  auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

}  // namespace

NemesisContext::NemesisContext(remote::NodeSet& nodes, Recorder recorder, NemesisHooks hooks,
                               Clock::time_point origin)
    : nodes_(nodes), recorder_(std::move(recorder)), hooks_(std::move(hooks)), origin_(origin) {}

std::string NemesisContext::address(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = addresses_.find(name);
  if (it != addresses_.end()) return it->second;
  const std::string& host = nodes_.node(name).host;
  std::string address = is_ipv4(host) ? host : resolve_ipv4(host);
  addresses_[name] = address;
  return address;
}

std::string NemesisContext::state_dir(const remote::Node& node) {
  if (node.local) {
    return "/run/faultline/nemesis/" + (node.cluster.empty() ? "local" : node.cluster) + "/" +
           node.name;
  }
  return "/run/faultline/nemesis/node";
}

std::vector<std::string> NemesisContext::primaries() const {
  return hooks_.primaries ? hooks_.primaries() : std::vector<std::string>{};
}

std::int64_t NemesisContext::now_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - origin_).count();
}

NodeOutcomes NemesisContext::run_scripts(
    const std::vector<std::string>& names,
    const std::function<remote::Command(const remote::Node&)>& make) {
  std::map<std::string, remote::Command> commands;
  NodeOutcomes outcomes;
  for (const auto& name : names) {
    commands.emplace(name, make(nodes_.node(name)));
    outcomes[name];  // every slot exists before the threads start
  }
  const std::int64_t start_ns = now_ns();
  nodes_.for_each(names, [&](remote::SshSession& session) {
    NodeOutcome& outcome = outcomes.at(session.node().name);
    try {
      remote::CommandResult result = session.exec(commands.at(session.node().name));
      outcome.out = result.out;
      outcome.effective_ns =
          start_ns + std::chrono::duration_cast<std::chrono::nanoseconds>(result.elapsed).count();
      if (result.ok()) {
        outcome.ok = true;
      } else {
        outcome.problem =
            (result.exit_signal.empty() ? "exited with status " + std::to_string(result.exit_status)
                                        : "killed by SIG" + result.exit_signal) +
            (result.err.empty() ? "" : ": " + remote::tail(result.err, 300));
      }
    } catch (const std::exception& e) {
      outcome.problem = first_line(e.what());
      outcome.effective_ns = now_ns();
    }
  });
  return outcomes;
}

Operation NemesisContext::record(const std::string& f, boost::json::value value,
                                 const NodeOutcomes& outcomes) {
  Operation op;
  op.type = OpType::kInfo;
  op.process = kNemesisProcess;
  op.f = f;
  op.value = std::move(value);
  op.time = now_ns();
  boost::json::object effective;
  for (const auto& [name, outcome] : outcomes) {
    if (outcome.ok) effective[name] = outcome.effective_ns;
  }
  op.extra["effective"] = std::move(effective);
  std::string failures = describe_failures(outcomes);
  if (!failures.empty()) op.error = boost::json::value(failures);
  if (recorder_) recorder_(op);
  return op;
}

remote::Command shell_command(const std::string& script, std::vector<std::string> args,
                              std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{"sh", "-c", script, "sh"};
  for (auto& arg : args) argv.push_back(std::move(arg));
  remote::Command command(std::move(argv));
  command.as_root().with_timeout(timeout);
  return command;
}

std::string describe_failures(const NodeOutcomes& outcomes) {
  std::string out;
  for (const auto& [name, outcome] : outcomes) {
    if (!outcome.ok) out += (out.empty() ? "" : "; ") + name + ": " + outcome.problem;
  }
  return out;
}

std::vector<std::string> succeeded(const NodeOutcomes& outcomes) {
  std::vector<std::string> out;
  for (const auto& [name, outcome] : outcomes) {
    if (outcome.ok) out.push_back(name);
  }
  return out;
}

}  // namespace faultline::nemesis
