#pragma once
// `faultline bench read FILE... [--format F]`: how fast each history file is read and how
// much memory its operations hold (controller/bench/cmd_bench_read.cpp). Registered by
// add_bench_commands (cmd_bench.cpp) on the `bench` group.

#include "controller/commands.h"

namespace faultline {

void add_bench_read_command(CLI::App* bench, CommandAction& action);

}  // namespace faultline
