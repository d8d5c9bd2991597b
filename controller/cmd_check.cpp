// `faultline check HISTORY --model MODEL ...`: is a recorded history linearizable?
// Prints a short verdict (or, with --json, the result document); --out DIR writes
// DIR/results.json. Exit code: 0 valid, 1 invalid, 2 unknown.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "checker/history/history.h"
#include "checker/history/independent.h"
#include "checker/lin/check.h"
#include "controller/check_txn.h"  // list-append, rw-register (h6)
#include "controller/commands.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"
#include "reports/html_report.h"
#include "reports/junit.h"

namespace faultline {
namespace {

struct CheckCommandOptions {
  std::string file, model, format, initial, out, junit;
  std::string consistency_model;  // transactional models only
  std::string nil_reads;          // register-like models: "value" (default) | "unknown"
  int threads = 0;
  double time_limit = 0;
  std::size_t memory_limit = 0;
  bool all_keys = false, no_partition = false, json = false, independent = false;
};

// Writes everything `check --out DIR` leaves behind. The one place to add more
// artefacts (e.g. report.html) later.
void write_check_outputs(const std::filesystem::path& dir, const CheckResult& result,
                         const History& history, const CheckCommandOptions& o) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw UsageError("cannot create " + dir.string() + ": " + ec.message());
  const auto path = dir / "results.json";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw UsageError("cannot write " + path.string());
  boost::json::object doc = result.to_json();
  out << boost::json::serialize(doc) << '\n';
  if (!out.flush()) throw std::runtime_error("writing " + path.string() + " failed");
  // report.html reproduces itself with this command line (reports/html_report.h).
  boost::json::array argv{"faultline", "check", o.file, "--model", o.model};
  if (!o.format.empty()) argv.insert(argv.end(), {"--format", boost::json::value(o.format)});
  if (!o.initial.empty()) argv.insert(argv.end(), {"--initial", boost::json::value(o.initial)});
  if (!o.nil_reads.empty())
    argv.insert(argv.end(), {"--nil-reads", boost::json::value(o.nil_reads)});
  if (o.no_partition) argv.push_back("--no-partition");
  if (o.independent) argv.push_back("--independent");
  write_html_report(history, doc, boost::json::object{{"argv", std::move(argv)}},
                    dir / "report.html");
}

// A live line on stderr, only on a terminal and only once the check has run a second.
void show_progress(const CheckProgress& p) {
  if (p.elapsed_s < 1.0) return;
  std::fprintf(stderr, "\r\033[Kchecking: %zu/%zu partitions, %.2fM states, %zu MiB, %.1f s",
               p.partitions_done, p.partitions_total, p.states_explored / 1e6, p.memory_bytes >> 20,
               p.elapsed_s);
  std::fflush(stderr);
}

bool nil_reads_apply(const std::string& model) {
  return model == "register" || model == "cas-register" || model == "multi-register" ||
         model == "kv";
}

int run_check(const CheckCommandOptions& o) {
  if (!o.nil_reads.empty() && !nil_reads_apply(o.model)) {
    throw UsageError("--nil-reads applies to --model register, cas-register, multi-register or kv");
  }
  if (is_txn_model(o.model)) {
    return run_txn_check(TxnCheckCommand{o.file, o.model, o.format, o.out, o.consistency_model,
                                         o.threads, o.time_limit, o.memory_limit, o.json});
  }
  if (!o.consistency_model.empty()) {
    throw UsageError("--consistency-model applies to --model list-append or rw-register");
  }
  CheckOptions options;
  options.model = o.model;
  const auto names = model_names();
  if (std::find(names.begin(), names.end(), o.model) == names.end()) {
    throw UsageError(UnknownModel(o.model).what());
  }
  if (!o.initial.empty()) {
    boost::system::error_code ec;
    options.initial = boost::json::parse(o.initial, ec);
    if (ec) throw UsageError("--initial must be a JSON value (e.g. 0, \"\", [1,2]): " + o.initial);
  }
  if (o.nil_reads == "unknown") options.nil_reads = NilReads::kUnknown;
  options.threads = o.threads;
  options.time_limit_s = o.time_limit;
  options.memory_limit_mib = o.memory_limit;
  options.all_keys = o.all_keys;
  options.partition = !o.no_partition;
  const bool live = isatty(STDERR_FILENO) == 1;
  if (live) options.on_progress = show_progress;

  std::optional<HistoryFormat> format;
  if (!o.format.empty()) {
    format = parse_history_format(o.format);
    if (!format) {
      throw UsageError("unknown --format '" + o.format +
                       "' (expected jsonl, edn, porcupine-etcd or porcupine-kv)");
    }
  }
  History history = read_history(o.file, format);
  if (o.independent) split_independent_pairs(history);

  CheckResult result;
  try {
    result = check_linearizable(history, options);
  } catch (const std::invalid_argument& e) {  // UnknownModel, a bad --initial
    if (live) std::fputs("\r\033[K", stderr);
    throw UsageError(e.what());
  }
  if (live) std::fputs("\r\033[K", stderr);

  if (!o.out.empty()) write_check_outputs(o.out, result, history, o);
  if (!o.junit.empty()) write_junit(result.to_json(), o.file, o.junit);
  if (o.json) {
    std::cout << boost::json::serialize(result.to_json()) << '\n';
  } else {
    std::cout << result.summary();
    if (!o.out.empty())
      std::cout << "results: " << (std::filesystem::path(o.out) / "results.json").string() << '\n';
  }
  switch (result.verdict) {
    case Verdict::kValid:
      return kExitValid;
    case Verdict::kInvalid:
      return kExitInvalid;
    case Verdict::kUnknown:
      return kExitUnknown;
  }
  return kExitUnknown;
}

}  // namespace

void add_check_commands(CLI::App& app, CommandAction& action) {
  auto o = std::make_shared<CheckCommandOptions>();
  std::string models;
  for (const auto& name : model_names()) models += (models.empty() ? "" : ", ") + name;
  models += ", list-append, rw-register (transactions)";
  auto* check = app.add_subcommand(
      "check", "Check a history for linearizability (exit 0 valid, 1 invalid, 2 unknown)");
  check->add_option("HISTORY", o->file, "History file (jsonl, edn, porcupine-etcd, porcupine-kv)")
      ->required();
  check->add_option("--model", o->model, "Sequential model: " + models)->required();
  check->add_option("--consistency-model", o->consistency_model,
                    "list-append/rw-register: the model to judge (default strict-serializable)");
  check->add_option("--format", o->format, "Force the input format (default: detected)");
  check->add_option("--initial", o->initial,
                    "Initial value of every register, as JSON (default nil; kv: \"\")");
  check
      ->add_option("--nil-reads", o->nil_reads,
                   "register, cas-register, multi-register, kv: a nil read means the register "
                   "held nil (value, the default) or an unknown value that matches any state "
                   "(unknown, as Knossos reads it)")
      ->check(CLI::IsMember({"value", "unknown"}));
  check->add_option("--threads", o->threads, "Worker threads (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  check
      ->add_option("--time-limit", o->time_limit,
                   "Seconds; undecided partitions are then unknown (default: none)")
      ->check(CLI::NonNegativeNumber);
  check
      ->add_option("--memory-limit", o->memory_limit,
                   "MiB for search caches; past it, unknown (default: min(4096, RAM/2))")
      ->check(CLI::NonNegativeNumber);
  check->add_flag("--all-keys", o->all_keys, "Decide every key, even after an invalid one");
  check->add_flag("--no-partition", o->no_partition,
                  "Check the whole history as one map of keys (no P-compositionality)");
  check->add_flag("--independent", o->independent,
                  "Values are [key value] pairs (Jepsen independent): split them first");
  check->add_option("--out", o->out, "Write DIR/results.json and DIR/report.html (DIR is created)");
  check->add_option("--junit", o->junit, "Also write the verdicts as JUnit XML to FILE");
  check->add_flag("--json", o->json, "Print the result document instead of a summary");
  check->callback([o, &action] { action = [o] { return run_check(*o); }; });
}

}  // namespace faultline
