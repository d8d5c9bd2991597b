#pragma once
// Subcommands. Each add_*_commands() registers its subcommand(s) on the app and,
// when one is selected, stores in `action` the function that runs it and returns
// the exit code (controller/exit_codes.h). Errors are thrown, never printed here.

#include <functional>

#include "remote/cli_fwd.h"

namespace faultline {

using CommandAction = std::function<int()>;

// The `bench` subcommand group, created by whichever bench file registers first.
CLI::App* bench_group(CLI::App& app);

void add_history_commands(CLI::App& app, CommandAction& action);
void add_check_commands(CLI::App& app, CommandAction& action);
void add_cluster_commands(CLI::App& app, CommandAction& action);
void add_report_commands(CLI::App& app, CommandAction& action);
void add_serve_commands(CLI::App& app, CommandAction& action);
void add_bench_commands(CLI::App& app, CommandAction& action);
// `bench txn`; call after add_bench_commands (it joins the existing `bench`).
void add_bench_txn_commands(CLI::App& app, CommandAction& action);

// `nemesis start|stop|run` and `heal` (controller/cmd_nemesis.cpp).
void add_nemesis_commands(CLI::App& app, CommandAction& action);
// `bench nemesis`; joins `bench` if it exists (controller/cmd_bench_nemesis.cpp).
void add_bench_nemesis_commands(CLI::App& app, CommandAction& action);
// `test` and `demo` (controller/cmd_test.cpp), `analyze` (cmd_analyze.cpp), `bench generator`
// (cmd_bench_generator.cpp; joins `bench` if it exists).
void add_test_commands(CLI::App& app, CommandAction& action);
void add_analyze_commands(CLI::App& app, CommandAction& action);
void add_bench_generator_commands(CLI::App& app, CommandAction& action);
// `bench online` (controller/cmd_bench_online.cpp): the online checker replaying a register
// history at a fixed rate; joins `bench` if it exists.
void add_bench_online_commands(CLI::App& app, CommandAction& action);

// `test-all FILE.toml` (controller/cmd_test_all.cpp): every combination of a test file's
// [matrix], one summary.
void add_test_all_commands(CLI::App& app, CommandAction& action);

// `replay RUN_DIR` (controller/cmd_replay.cpp) and `shrink RUN_DIR` (controller/cmd_shrink.cpp):
// a recorded run again, and the smallest fault schedule that still fails (docs/shrinking.md).
void add_replay_commands(CLI::App& app, CommandAction& action);
void add_shrink_commands(CLI::App& app, CommandAction& action);

// `compare` (controller/cmd_compare.cpp): one run per consistency mode, side by side.
void add_compare_commands(CLI::App& app, CommandAction& action);

}  // namespace faultline
