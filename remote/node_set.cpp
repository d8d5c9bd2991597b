#include "remote/node_set.h"

#include <exception>
#include <thread>

#include "remote/errors.h"

namespace faultline::remote {
namespace {

// Runs work(i) for i in [0, n) on one thread each (the last on the calling thread) and
// returns the exception of each, null where it succeeded.
std::vector<std::exception_ptr> in_parallel(std::size_t n,
                                            const std::function<void(std::size_t)>& work) {
  std::vector<std::exception_ptr> errors(n);
  auto guarded = [&](std::size_t i) {
    try {
      work(i);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (std::size_t i = 0; i + 1 < n; ++i) threads.emplace_back(guarded, i);
  if (n > 0) guarded(n - 1);
  for (auto& thread : threads) thread.join();
  return errors;
}

// Rethrows the errors of several nodes as one: the single error itself, or a RemoteError
// (NodeUnreachable when every failure was one) whose message lists each node's failure.
void throw_gathered(const std::vector<std::exception_ptr>& errors) {
  std::vector<std::exception_ptr> failed;
  for (const auto& e : errors) {
    if (e) failed.push_back(e);
  }
  if (failed.empty()) return;
  if (failed.size() == 1) std::rethrow_exception(failed.front());
  bool all_unreachable = true;
  std::string nodes, message;
  for (const auto& e : failed) {
    try {
      std::rethrow_exception(e);
    } catch (const NodeUnreachable& error) {
      nodes += (nodes.empty() ? "" : ",") + error.node();
      message += "; " + std::string(error.what());
    } catch (const RemoteError& error) {
      all_unreachable = false;
      nodes += (nodes.empty() ? "" : ",") + error.node();
      message += "; " + std::string(error.what());
    } catch (...) {
      std::rethrow_exception(e);  // not a node's failure: a bug, report it as it is
    }
  }
  std::string problem = std::to_string(failed.size()) + " nodes failed" + message;
  if (all_unreachable) throw NodeUnreachable(nodes, problem);
  throw RemoteError(nodes, "", std::nullopt, "", problem);
}

}  // namespace

NodeSet::NodeSet(std::vector<Node> nodes, SessionOptions options)
    : nodes_(std::move(nodes)), options_(options) {
  validate_nodes(nodes_);
  for (const auto& node : nodes_) {
    sessions_.emplace(node.name, std::make_unique<SshSession>(node, options_));
  }
}

NodeSet::~NodeSet() = default;

std::vector<std::string> NodeSet::names() const {
  std::vector<std::string> out;
  for (const auto& node : nodes_) out.push_back(node.name);
  return out;
}

const Node& NodeSet::node(const std::string& name) const {
  for (const auto& node : nodes_) {
    if (node.name == name) return node;
  }
  throw ConfigError("unknown node '" + name + "'");
}

SshSession& NodeSet::session(const std::string& name) {
  auto it = sessions_.find(name);
  if (it == sessions_.end()) throw ConfigError("unknown node '" + name + "'");
  return *it->second;
}

void NodeSet::for_each(const std::vector<std::string>& names,
                       const std::function<void(SshSession&)>& work) {
  std::vector<SshSession*> targets;
  for (const auto& name : names) targets.push_back(&session(name));
  throw_gathered(in_parallel(targets.size(), [&](std::size_t i) { work(*targets[i]); }));
}

void NodeSet::connect_all() {
  for_each(names(), [](SshSession& session) { session.connect(); });
}

NodeResults NodeSet::run_each(const std::vector<std::string>& names,
                              const std::function<Command(const Node&)>& make, bool check) {
  std::vector<SshSession*> targets;
  std::vector<Command> commands;
  for (const auto& name : names) {
    targets.push_back(&session(name));
    commands.push_back(make(node(name)));
  }
  std::vector<CommandResult> results(targets.size());
  throw_gathered(in_parallel(targets.size(), [&](std::size_t i) {
    results[i] = check ? targets[i]->run(commands[i]) : targets[i]->exec(commands[i]);
  }));
  NodeResults out;
  for (std::size_t i = 0; i < targets.size(); ++i) out[names[i]] = std::move(results[i]);
  return out;
}

NodeResults NodeSet::exec_on(const std::vector<std::string>& names, const Command& command) {
  return run_each(
      names, [&](const Node&) { return command; }, false);
}

NodeResults NodeSet::run_on(const std::vector<std::string>& names, const Command& command) {
  return run_each(
      names, [&](const Node&) { return command; }, true);
}

}  // namespace faultline::remote
