// faultline: the command line. Parses arguments, runs one subcommand, and maps
// every error to one line on stderr and an exit code (controller/exit_codes.h).

#include <CLI/CLI.hpp>
#include <iostream>
#include <new>

#include "checker/history/input_error.h"
#include "controller/commands.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"
#include "faultline/version.h"
#include "remote/errors.h"

namespace {

// One line on stderr for `e` and its exit code (docs/exit-codes.md).
int report_error(const std::exception& e) {
  using namespace faultline;
  if (dynamic_cast<const std::bad_alloc*>(&e)) {
    // Out of memory is no bug and no verdict either: the check could not be decided.
    std::cerr << "faultline: verdict: unknown (memory): out of memory (raise the process's "
                 "memory limit, or pass a lower --memory-limit so that the check stops in "
                 "time)\n";
    return kExitUnknown;
  }
  if (dynamic_cast<const InputError*>(&e)) {
    std::cerr << e.what() << '\n';  // already FILE:LINE:COL: problem
    return kExitDataError;
  }
  int code = kExitSoftware;
  const char* prefix = "internal error: ";
  if (dynamic_cast<const InputMissing*>(&e)) {
    code = kExitNoInput;
  } else if (dynamic_cast<const UsageError*>(&e) || dynamic_cast<const remote::ConfigError*>(&e)) {
    code = kExitUsage;
  } else if (dynamic_cast<const UnavailableError*>(&e) ||
             dynamic_cast<const remote::RemoteError*>(&e)) {  // unreachable node, host key, ...
    code = kExitUnavailable;
  }
  if (code != kExitSoftware) prefix = "";
  std::cerr << "faultline: " << prefix << e.what() << '\n';
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace faultline;
  CLI::App app{
      "faultline: does your data store keep the consistency it promises, and what does relaxing "
      "it cost?\nExit codes: 0 valid, 1 invalid, 2 unknown, 64 usage, 65 malformed input, "
      "66 input missing, 69 service or node unreachable, 70 internal error.",
      "faultline"};
  app.set_version_flag("--version", std::string("faultline ") + kVersion);
  app.require_subcommand(1);
  CommandAction action;
  add_history_commands(app, action);
  add_check_commands(app, action);
  add_cluster_commands(app, action);
  add_report_commands(app, action);
  add_serve_commands(app, action);
  add_bench_commands(app, action);
  add_bench_txn_commands(app, action);
  add_nemesis_commands(app, action);
  add_bench_nemesis_commands(app, action);
  add_test_commands(app, action);
  add_test_all_commands(app, action);
  add_analyze_commands(app, action);
  add_bench_generator_commands(app, action);
  add_bench_online_commands(app, action);
  add_compare_commands(app, action);
  add_replay_commands(app, action);
  add_shrink_commands(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "faultline: " << e.what() << " (see --help)\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    // Option callbacks may already read files (a nodes file): the same errors as running.
    return report_error(e);
  }
  if (!action) {
    std::cerr << app.help();
    return kExitUsage;
  }
  try {
    return action();
  } catch (const std::exception& e) {
    return report_error(e);
  }
}
