// `faultline analyze RUN_DIR`: re-checks a stored run without its cluster. Reads the
// workload from test.json and the history from history.jsonl (a torn last line, left by a
// killed controller, is dropped with a warning), prints the checker's summary and verdict,
// and writes results.json if the run has none (or -o FILE).

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "checker/history/input_error.h"
#include "controller/commands.h"
#include "controller/errors.h"
#include "controller/run/analysis.h"
#include "controller/run/run_store.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

struct AnalyzeOptions {
  std::string dir, output;
  std::string nil_reads;  // register workload: "value" (default) | "unknown"
  double check_time_limit_s = 0;
};

boost::json::object read_test_json(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputMissing(file.string() + ": cannot open (is this a run directory?)");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) {
    throw InputError(file.string(), 1, 1, "not a JSON object" + (ec ? ": " + ec.message() : ""));
  }
  return std::move(v.get_object());
}

int analyze(const AnalyzeOptions& o) {
  fs::path dir = o.dir;
  boost::json::object test = read_test_json(dir / "test.json");
  const auto* workload_config = test.if_contains("workload");
  if (!workload_config || !workload_config->is_object()) {
    throw InputError((dir / "test.json").string(), 1, 1, "no \"workload\" object");
  }
  std::unique_ptr<Workload> workload;
  try {
    workload = workload_from_config(workload_config->get_object());
  } catch (const std::invalid_argument& e) {
    throw InputError((dir / "test.json").string(), 1, 1, e.what());
  }
  if (!o.nil_reads.empty() && workload->name() != "register") {
    throw UsageError("--nil-reads applies to a register run, not " + workload->name());
  }
  History history = read_run_history(dir / "history.jsonl", [](const std::string& warning) {
    std::cerr << "faultline: warning: " << warning << '\n';
  });
  CheckBudget budget;
  budget.time_limit_s = o.check_time_limit_s;
  if (o.nil_reads == "unknown") budget.nil_reads = NilReads::kUnknown;
  RunVerdict verdict = check_run(*workload, history, budget);
  verdict.results["run"] = {{"dir", dir.string()}, {"analyzed", true}};
  if (!o.output.empty()) {
    std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
    out << pretty_json(verdict.results);
    if (!out.flush()) throw UsageError("cannot write " + o.output);
  } else if (!fs::exists(dir / "results.json")) {
    RunStore(dir).write_json("results.json", verdict.results);
  }
  std::cout << verdict.summary << "verdict: " << to_string(verdict.verdict) << '\n';
  return exit_code(verdict.verdict);
}

}  // namespace

void add_analyze_commands(CLI::App& app, CommandAction& action) {
  auto o = std::make_shared<AnalyzeOptions>();
  auto* cmd = app.add_subcommand(
      "analyze", "Re-check a stored run (store/<test>/<time>/) without its cluster");
  cmd->add_option("RUN_DIR", o->dir, "The run directory (or store/latest)")->required();
  cmd->add_option("-o,--output", o->output,
                  "Write the results here (default: RUN_DIR/results.json if it has none)");
  cmd->add_option("--check-time-limit", o->check_time_limit_s,
                  "Seconds the linearizability search may take (0: no limit)");
  cmd->add_option("--nil-reads", o->nil_reads,
                  "register runs: a nil read means the register held nil (value, the default) "
                  "or an unknown value that matches any state (unknown, as Knossos reads it)")
      ->check(CLI::IsMember({"value", "unknown"}));
  cmd->callback([o, &action] { action = [o] { return analyze(*o); }; });
}

}  // namespace faultline
