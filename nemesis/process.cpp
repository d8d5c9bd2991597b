// The kill and pause faults: SIGKILL or SIGSTOP the database's processes on target nodes;
// stopping a kill restarts them, stopping a pause sends SIGCONT. Which processes, and how to
// restart them, comes from the adapter's ProcessControl; the kill marker also keeps the restart
// command so `faultline heal` can restart without the adapter.

#include "nemesis/errors.h"
#include "nemesis/fault_kinds.h"
#include "nemesis/markers.h"
#include "nemesis/node_scripts.h"
#include "nemesis/process_scripts.h"
#include "nemesis/restart.h"

namespace faultline::nemesis {
namespace {

std::vector<std::string> parse_pids(const std::string& out) {
  std::vector<std::string> pids;
  auto pos = out.find("pids ");
  if (pos == std::string::npos) return pids;
  std::string rest = out.substr(pos + 5);
  rest = rest.substr(0, rest.find('\n'));
  std::size_t begin = 0;
  while (begin < rest.size()) {
    auto end = rest.find(' ', begin);
    if (end == std::string::npos) end = rest.size();
    if (end > begin) pids.push_back(rest.substr(begin, end - begin));
    begin = end + 1;
  }
  return pids;
}

class ProcessFault : public Fault {
 public:
  ProcessFault(FaultKind kind, const FaultOptions& options, NemesisContext& context)
      : kind_(kind), options_(options), context_(context) {}

  FaultKind kind() const override { return kind_; }

  void check() override {
    if (!context_.hooks().processes) {
      throw FaultRefused(std::string(to_string(kind_)) +
                         " needs to know the database's processes: a database adapter, or "
                         "--pid-file/--process (and --restart for kill)");
    }
  }

  Operation start(std::mt19937_64& rng) override {
    check();
    const auto& control = *context_.hooks().processes;
    const auto targets = select_targets(options_.target.value_or(TargetSpec{}), context_.names(),
                                        rng, context_.primaries());
    const bool kill = kind_ == FaultKind::kKill;
    NodeOutcomes outcomes = context_.run_scripts(targets, [&](const remote::Node& node) {
      ProcessSelector selector = control.processes(node);
      std::string extra;
      if (kill) {
        auto restart = control.restart_command(node);
        extra = ",\"restart\":" + (restart ? boost::json::serialize(json_strings(restart->argv))
                                           : std::string("null"));
      }
      return shell_command(
          std::string(kScriptPrelude) + std::string(kFindPidsFunction) + std::string(kSignalScript),
          {NemesisContext::state_dir(node), std::string(to_string(kind_)), kill ? "KILL" : "STOP",
           selector.pid_file, selector.process_name, extra});
    });
    boost::json::object per_node;
    for (const auto& [name, outcome] : outcomes) {
      if (outcome.ok)
        per_node[name] = boost::json::object{{"pids", json_strings(parse_pids(outcome.out))}};
    }
    boost::json::object value{{"signal", kill ? "SIGKILL" : "SIGSTOP"},
                              {"targets", json_strings(targets)},
                              {"nodes", std::move(per_node)}};
    const std::string f = "start-" + std::string(to_string(kind_));
    Operation op = context_.record(f, std::move(value), outcomes);
    throw_if_failed(f, outcomes);
    return op;
  }

  Operation stop() override {
    const std::string f = "stop-" + std::string(to_string(kind_));
    if (kind_ == FaultKind::kPause) {
      NodeOutcomes outcomes = context_.run_scripts(context_.names(), [](const remote::Node& node) {
        return shell_command(std::string(kScriptPrelude) + std::string(kResumeScript),
                             {NemesisContext::state_dir(node)});
      });
      boost::json::object per_node;
      for (const auto& [name, outcome] : outcomes) {
        if (outcome.ok && !outcome.out.empty()) per_node[name] = outcome.out;
      }
      Operation op = context_.record(
          f, boost::json::object{{"signal", "SIGCONT"}, {"nodes", std::move(per_node)}}, outcomes);
      throw_if_failed(f, outcomes);
      return op;
    }
    RestartResult restarted = restart_killed(context_, context_.names());
    // What was done, not how: the restart commands are the adapter's scripts.
    Operation op =
        context_.record(f, boost::json::object{{"restarted", json_strings(restarted.restarted)}},
                        restarted.outcomes);
    throw_if_failed(f, restarted.outcomes);
    return op;
  }

 private:
  FaultKind kind_;
  FaultOptions options_;
  NemesisContext& context_;
};

}  // namespace

std::unique_ptr<Fault> make_process_fault(FaultKind kind, const FaultOptions& options,
                                          NemesisContext& context) {
  return std::make_unique<ProcessFault>(kind, options, context);
}

}  // namespace faultline::nemesis
