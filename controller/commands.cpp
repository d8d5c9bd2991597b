#include "controller/commands.h"

#include <CLI/CLI.hpp>

namespace faultline {

CLI::App* bench_group(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App* a) { return a->get_name() == "bench"; })) {
    return sub;
  }
  CLI::App* bench = app.add_subcommand("bench", "Benchmarks (figures, not verdicts)");
  bench->require_subcommand(1);
  return bench;
}

}  // namespace faultline
