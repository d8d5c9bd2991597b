// `faultline report RUN_DIR [--junit FILE]`: re-renders a run's report.html from its
// history.jsonl, results.json and test.json, without the cluster.

#include <CLI/CLI.hpp>
#include <iostream>

#include "controller/commands.h"
#include "controller/exit_codes.h"
#include "reports/junit.h"
#include "reports/run_report.h"
#include "reports/verdicts.h"

namespace faultline {

void add_report_commands(CLI::App& app, CommandAction& action) {
  struct Options {
    std::string dir, junit;
  };
  auto opts = std::make_shared<Options>();
  auto* report = app.add_subcommand(
      "report",
      "Re-render RUN_DIR/report.html from history.jsonl, results.json and test.json "
      "(exit code: the run's verdict)");
  report
      ->add_option("RUN_DIR", opts->dir,
                   "A run directory (store/<name>/<time>/ or check --out DIR)")
      ->required();
  report->add_option("--junit", opts->junit, "Also write the verdicts as JUnit XML to FILE");
  report->callback([opts, &action] {
    action = [o = *opts] {
      std::filesystem::path dir(o.dir);
      std::filesystem::path out = render_run_report(dir);
      boost::json::object results =
          read_json_object(dir / "results.json", false).value_or(boost::json::object{});
      if (!o.junit.empty()) write_junit(results, dir.lexically_normal().string(), o.junit);
      std::string verdict = overall_verdict(results);
      std::cout << out.string() << " (" << verdict << ")\n";
      return verdict == "valid" ? kExitValid : verdict == "invalid" ? kExitInvalid : kExitUnknown;
    };
  });
}

}  // namespace faultline
