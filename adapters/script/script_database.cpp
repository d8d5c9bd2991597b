#include "adapters/script/script_database.h"

#include <algorithm>
#include <fstream>
#include <set>

#include "adapters/polling.h"
#include "adapters/script/process_client.h"
#include "remote/errors.h"

namespace faultline::adapters {
namespace {

using namespace std::chrono_literals;

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// The last line or so of a command's stderr (or stdout), for messages.
std::string tail(const remote::CommandResult& result) {
  std::string text = result.err.empty() ? result.out : result.err;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.size() > 300) text = "..." + text.substr(text.size() - 300);
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  return text;
}

std::string failure(const remote::CommandResult& result) {
  std::string how = result.exit_signal.empty() ? "exit " + std::to_string(result.exit_status)
                                               : "signal " + result.exit_signal;
  std::string why = tail(result);
  return why.empty() ? how : how + ": " + why;
}

}  // namespace

ScriptDatabase::ScriptDatabase(ScriptStore store, remote::NodeSet& nodes, DatabaseOptions options)
    : store_(std::move(store)), nodes_(nodes), options_(std::move(options)) {
  for (const auto& [name, values] : store_.settings) {
    if (!values.empty()) settings_[name] = values.front();
  }
  for (const auto& [name, value] : options_.settings) {
    auto declared = store_.settings.find(name);
    if (declared == store_.settings.end()) {
      std::vector<std::string> names;
      for (const auto& [n, v] : store_.settings) names.push_back(n);
      throw DatabaseError(store_.name + " has no setting '" + name + "'" +
                          (names.empty() ? " (it has none)" : " (it has " + joined(names) + ")"));
    }
    const auto& allowed = declared->second;
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      throw DatabaseError(store_.name + ": " + name + " must be one of " + joined(allowed) +
                          ", not '" + value + "'");
    }
    settings_[name] = value;
  }
  try {
    for (const auto& [name, value] : settings_) (void)setting_variable(name);
    if (!nodes_.nodes().empty()) {
      Environment env = node_environment(nodes_.nodes().front());
      (void)expand_variables(store_.pid_file, env);
      for (const auto& log : store_.logs) (void)expand_variables(log, env);
    }
  } catch (const std::invalid_argument& e) {
    throw DatabaseError(store_.name + ": " + e.what());
  }
}

Environment ScriptDatabase::node_environment(const remote::Node& node) const {
  std::vector<std::string> names, addresses;
  std::size_t index = 0;
  for (std::size_t i = 0; i < nodes_.nodes().size(); ++i) {
    const remote::Node& n = nodes_.nodes()[i];
    names.push_back(n.name);
    addresses.push_back(n.host);
    if (n.name == node.name) index = i;
  }
  Environment env{{"FAULTLINE_NODE", node.name},
                  {"FAULTLINE_ADDRESS", node.host},
                  {"FAULTLINE_NODES", joined(names)},
                  {"FAULTLINE_ADDRESSES", joined(addresses)},
                  {"FAULTLINE_INDEX", std::to_string(index)},
                  {"FAULTLINE_RUN", options_.run_id}};
  for (const auto& [name, value] : settings_) env.emplace_back(setting_variable(name), value);
  return env;
}

void ScriptDatabase::log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

remote::Command ScriptDatabase::step(const remote::Node& node, NodeStep step,
                                     const std::string& command,
                                     std::chrono::milliseconds timeout) const {
  Environment env = node_environment(node);
  const ProcessLocation where = process_location(node);
  if (!where.pid_file.empty()) env.emplace_back("FAULTLINE_PID_FILE", where.pid_file);
  if (!where.process_name.empty()) env.emplace_back("FAULTLINE_PROCESS_NAME", where.process_name);
  if ((step == NodeStep::kStart || step == NodeStep::kRestart) && store_.honours_faketime &&
      options_.faketime_environment) {
    for (auto [name, value] : options_.faketime_environment(node)) {
      // LD_PRELOAD goes on the user's start command only, not on the fixed script's tools.
      if (name == "LD_PRELOAD") name = "FAULTLINE_PRELOAD";
      env.emplace_back(std::move(name), std::move(value));
    }
    // Monotonic time is never faked (FAKETIME_DONT_FAKE_MONOTONIC), so libfaketime's
    // pthread_cond_timedwait work-around is not needed; left on, it makes a JVM spin
    // (ZooKeeper 3.8: ~65% of a core per idle member instead of ~0, and a 30 s start).
    env.emplace_back("FAKETIME_FORCE_MONOTONIC_FIX", "0");
  }
  return node_script(step, command, env, timeout);
}

void ScriptDatabase::on_every_node(const char* what, NodeStep how, const std::string& command,
                                   std::chrono::milliseconds timeout) {
  remote::NodeResults results;
  try {
    results = nodes_.run_each(
        nodes_.names(), [&](const remote::Node& node) { return step(node, how, command, timeout); },
        false);
  } catch (const std::exception& e) {
    throw DatabaseError(store_.name + ": " + what + ": " + e.what());
  }
  std::string problems;
  for (const auto& [node, result] : results) {
    if (!result.ok())
      problems += (problems.empty() ? "" : "; ") + node + " (" + failure(result) + ")";
  }
  if (!problems.empty()) throw DatabaseError(store_.name + ": " + what + " failed on " + problems);
}

void ScriptDatabase::on_node(const std::string& node, NodeStep how, const std::string& command) {
  remote::CommandResult result =
      nodes_.session(node).exec(step(nodes_.node(node), how, command, 60s));
  if (!result.ok()) {
    throw DatabaseError(store_.name + ": " + command + " on " + node + " failed (" +
                        failure(result) + ")");
  }
}

void ScriptDatabase::setup() {
  if (!store_.install.empty() && options_.install_if_missing)
    on_every_node("install", NodeStep::kRun, store_.install, 15min);
  // Whatever an earlier run left behind.
  on_every_node("stop", NodeStep::kStop, store_.stop, 60s);
  if (!store_.wipe.empty()) on_every_node("wipe", NodeStep::kRun, store_.wipe, 60s);
  std::string settings;
  for (const auto& [name, value] : settings_) settings += " " + name + "=" + value;
  log(store_.name + ": starting on " + std::to_string(nodes_.nodes().size()) + " nodes" +
      (settings.empty() ? "" : "," + settings) + (honours_faketime() ? ", under libfaketime" : ""));
  on_every_node("start", NodeStep::kStart, store_.start, 2min);
  if (!wait_healthy(store_.healthy_timeout)) {
    throw DatabaseError(store_.name + " did not become healthy within " +
                        std::to_string(store_.healthy_timeout.count()) + " s");
  }
}

void ScriptDatabase::teardown() {
  on_every_node("stop", NodeStep::kStop, store_.stop, 60s);
  if (!store_.wipe.empty()) on_every_node("wipe", NodeStep::kRun, store_.wipe, 60s);
}

bool ScriptDatabase::wait_healthy(std::chrono::milliseconds timeout) {
  NodeStep how = NodeStep::kRun;
  if (store_.healthy.empty()) {
    if (store_.pid_file.empty() && store_.process_name.empty()) return true;
    how = NodeStep::kAlive;
  }
  const auto per_attempt = std::clamp<std::chrono::milliseconds>(timeout, 1s, 10s);
  std::string problem;
  bool healthy = poll_until(timeout, 250ms, &problem, [&]() -> std::string {
    try {
      auto results = nodes_.run_each(
          nodes_.names(),
          [&](const remote::Node& node) { return step(node, how, store_.healthy, per_attempt); },
          false);
      for (const auto& [node, result] : results) {
        if (!result.ok())
          return node + ": " + (how == NodeStep::kAlive ? "not running" : failure(result));
      }
      return {};
    } catch (const std::exception& e) {
      return e.what();
    }
  });
  if (!healthy) log(store_.name + ": not healthy: " + problem);
  return healthy;
}

void ScriptDatabase::start(const std::string& node) {
  on_node(node, NodeStep::kStart, store_.start);
}
void ScriptDatabase::kill(const std::string& node) {
  on_node(node, NodeStep::kKill, {});
}
void ScriptDatabase::pause(const std::string& node) {
  on_node(node, NodeStep::kPause, {});
}
void ScriptDatabase::resume(const std::string& node) {
  on_node(node, NodeStep::kResume, {});
}

ProcessLocation ScriptDatabase::process_location(const remote::Node& node) const {
  return ProcessLocation{expand_variables(store_.pid_file, node_environment(node)),
                         store_.process_name};
}

remote::Command ScriptDatabase::start_command(const remote::Node& node) const {
  return step(node, NodeStep::kStart, store_.start, 2min);
}

remote::Command ScriptDatabase::restart_command(const remote::Node& node) const {
  return step(node, NodeStep::kRestart, store_.start, 2min);
}

std::string ScriptDatabase::faketime_note() const {
  if (!store_.honours_faketime) return "its test file does not set honours_faketime";
  return store_.name + " was set up without libfaketime's environment";
}

std::vector<std::string> ScriptDatabase::primaries() {
  if (store_.primaries.empty()) return {};
  // Every node is asked: each may print itself, or all the leaders it knows.
  const auto names = nodes_.names();
  auto outputs = parallel<std::string>(names.size(), [&](std::size_t i) -> std::string {
    try {
      auto result = nodes_.session(names[i]).exec(
          step(nodes_.node(names[i]), NodeStep::kRun, store_.primaries, 5s));
      return result.ok() ? result.out : std::string();
    } catch (const std::exception&) {
      return {};  // a node that does not answer is left out
    }
  });
  std::set<std::string> named;
  for (const std::string& out : outputs) {
    std::size_t begin = 0;
    while (begin < out.size()) {
      std::size_t end = out.find('\n', begin);
      if (end == std::string::npos) end = out.size();
      std::string line = out.substr(begin, end - begin);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
      while (!line.empty() && line.front() == ' ') line.erase(0, 1);
      named.insert(line);
      begin = end + 1;
    }
  }
  std::vector<std::string> leaders;
  for (const std::string& name : names) {
    if (named.count(name)) leaders.push_back(name);
  }
  return leaders;
}

void ScriptDatabase::download_logs(const std::filesystem::path& dir) {
  const auto names = nodes_.names();
  auto problems = parallel<std::string>(names.size(), [&](std::size_t i) -> std::string {
    const remote::Node& node = nodes_.node(names[i]);
    std::string problem;
    for (const std::string& pattern : store_.logs) {
      const std::string path = expand_variables(pattern, node_environment(node));
      try {
        std::string data = nodes_.session(node.name).download_data(path, true);
        const auto file = dir / node.name / std::filesystem::path(path).filename();
        std::filesystem::create_directories(file.parent_path());
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out << data;
        if (!out.flush())
          problem += (problem.empty() ? "" : "; ") + ("cannot write " + file.string());
      } catch (const std::exception& e) {
        problem += (problem.empty() ? "" : "; ") + path + ": " + e.what();
      }
    }
    return problem;
  });
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!problems[i].empty())
      log(store_.name + ": log of " + names[i] + " not downloaded: " + problems[i]);
  }
}

std::string ScriptDatabase::version() {
  if (store_.version.empty()) return "unknown";
  const std::string first = nodes_.names().front();
  remote::CommandResult result =
      nodes_.session(first).exec(step(nodes_.node(first), NodeStep::kRun, store_.version, 30s));
  std::string out = result.out.substr(0, result.out.find('\n'));
  if (!result.ok() || out.empty()) {
    log(store_.name + ": version command failed on " + first + " (" + failure(result) + ")");
    return "unknown";
  }
  return out;
}

std::unique_ptr<Client> ScriptDatabase::client(const std::string& node,
                                               const ClientOptions& options) {
  if (std::find(store_.workloads.begin(), store_.workloads.end(), options.workload) ==
      store_.workloads.end()) {
    throw DatabaseError(store_.name + "'s client does not speak workload '" + options.workload +
                        "' (it speaks " + joined(store_.workloads) + ")");
  }
  ClientProgram program;
  program.argv = store_.client_command;
  program.directory = store_.base_dir;
  program.environment = node_environment(nodes_.node(node));
  program.environment.emplace_back("FAULTLINE_WORKLOAD", options.workload);
  program.environment.emplace_back("FAULTLINE_TIMEOUT_MS", std::to_string(options.timeout.count()));
  program.node = node;
  program.log = options_.log;
  return std::make_unique<ProcessClient>(std::move(program), options);
}

}  // namespace faultline::adapters
