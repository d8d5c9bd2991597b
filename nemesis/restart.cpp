#include "nemesis/restart.h"

#include <mutex>

#include "nemesis/markers.h"
#include "nemesis/node_scripts.h"
#include "remote/errors.h"

namespace faultline::nemesis {

RestartResult restart_killed(NemesisContext& context, const std::vector<std::string>& names,
                             const std::string& marker) {
  RestartResult result;
  NodeOutcomes read;
  Markers markers = read_markers(context, names, &read);
  std::vector<std::string> killed;
  std::map<std::string, remote::Command> commands;
  for (const auto& [name, outcome] : read) {
    if (!outcome.ok) {
      result.outcomes[name] = outcome;
      continue;
    }
    auto it = markers[name].find(marker);
    if (it == markers[name].end()) continue;
    std::optional<remote::Command> command;
    if (const auto& control = context.hooks().processes) {
      command = control->restart_command(context.node(name));
    } else if (const auto* marker = it->second.if_object()) {
      if (const auto* argv = marker->if_contains("restart"); argv && argv->is_array()) {
        std::vector<std::string> words;
        for (const auto& word : argv->as_array()) {
          if (word.is_string()) words.emplace_back(word.as_string());
        }
        if (!words.empty()) {
          command = remote::Command(std::move(words));
          command->as_root();
        }
      }
    }
    if (!command) {
      result.outcomes[name].problem = "killed processes but no restart command is known";
      continue;
    }
    command->with_timeout(std::chrono::seconds(60));
    commands.emplace(name, *command);
    killed.push_back(name);
  }
  if (killed.empty()) return result;
  // Restart, then drop the marker only where the restart succeeded.
  NodeOutcomes ran =
      context.run_scripts(killed, [&](const remote::Node& node) { return commands.at(node.name); });
  std::vector<std::string> restarted;
  for (auto& [name, outcome] : ran) {
    if (outcome.ok) restarted.push_back(name);
    result.outcomes[name] = std::move(outcome);
  }
  NodeOutcomes unmarked = context.run_scripts(restarted, [&](const remote::Node& node) {
    return shell_command(std::string(kScriptPrelude) + "unmark \"$1\"\n",
                         {NemesisContext::state_dir(node), marker});
  });
  for (auto& [name, outcome] : unmarked) {
    if (!outcome.ok) result.outcomes[name] = std::move(outcome);
  }
  result.restarted = std::move(restarted);
  return result;
}

}  // namespace faultline::nemesis
