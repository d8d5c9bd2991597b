#pragma once
// Subcommands. Each add_*_commands() registers its subcommand(s) on the app and,
// when one is selected, stores in `action` the function that runs it and returns
// the exit code (controller/exit_codes.h). Errors are thrown, never printed here.

#include <functional>

#include <CLI/CLI.hpp>

namespace faultline {

using CommandAction = std::function<int()>;

void add_history_commands(CLI::App& app, CommandAction& action);
void add_cluster_commands(CLI::App& app, CommandAction& action);

}  // namespace faultline
