// faultline: the command line. Parses arguments, runs one subcommand, and maps
// every error to one line on stderr and an exit code (controller/exit_codes.h).

#include <iostream>

#include "checker/history/input_error.h"
#include "controller/commands.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"
#include "faultline/version.h"
#include "remote/errors.h"

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
  add_analyze_commands(app, action);
  add_bench_generator_commands(app, action);
  add_compare_commands(app, action);

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
  } catch (const UsageError& e) {
    std::cerr << "faultline: " << e.what() << '\n';
    return kExitUsage;
  }
  if (!action) {
    std::cerr << app.help();
    return kExitUsage;
  }
  try {
    return action();
  } catch (const InputError& e) {
    std::cerr << e.what() << '\n';
    return kExitDataError;
  } catch (const InputMissing& e) {
    std::cerr << "faultline: " << e.what() << '\n';
    return kExitNoInput;
  } catch (const UsageError& e) {
    std::cerr << "faultline: " << e.what() << '\n';
    return kExitUsage;
  } catch (const UnavailableError& e) {
    std::cerr << "faultline: " << e.what() << '\n';
    return kExitUnavailable;
  } catch (const remote::RemoteError& e) {  // NodeUnreachable, HostKeyError, a failed command
    std::cerr << "faultline: " << e.what() << '\n';
    return kExitUnavailable;
  } catch (const remote::ConfigError& e) {
    std::cerr << "faultline: " << e.what() << '\n';
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "faultline: internal error: " << e.what() << '\n';
    return kExitSoftware;
  }
}
