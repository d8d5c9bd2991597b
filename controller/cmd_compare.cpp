// `faultline compare`: the same workload and fault schedule (same seed), once per consistency
// mode of one store, side by side: verdict and anomalies, staleness, convergence,
// availability under faults, latency. The measured trade-off between strong and eventual.
//
//   faultline compare --db etcd --modes read-consistency=linearizable,read-consistency=serializable
//                     --workload register --nemesis partition --time-limit 60 [--json]
//
// Every mode is validated before anything runs (exit 64). Each run is an ordinary run of
// controller/run/ with its own directory; its results.json carries the "tradeoff" object.
// Prints the table (stderr with --json, which prints the JSON array on stdout) and writes
// one HTML page. Exit 0 once every run completed: weaker modes are expected to be invalid.

#include <CLI/CLI.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <set>

#include "adapters/store.h"
#include "checker/staleness/tradeoff.h"
#include "controller/commands.h"
#include "controller/compare/comparison_view.h"
#include "controller/compare/modes.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"
#include "controller/run/analysis.h"
#include "controller/run/run_store.h"
#include "controller/run/runner.h"
#include "controller/test_file.h"
#include "remote/local_cluster.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

struct CompareCli {
  TestConfig config;
  std::string modes;
  std::uint64_t seed = 0;
  bool json = false;
  std::string html;
  double convergence_timeout_s = 0;  // 0: the run's (TestConfig's default)
  std::string test_file;
};

// The option names of `faultline test`: a test file shared with `test` may set them, and
// compare uses those it has itself.
std::set<std::string> test_option_keys() {
  CLI::App app;
  CommandAction unused;
  add_test_commands(app, unused);
  return option_keys(*app.get_subcommand("test"));
}

// Nodes the runs will use: the given ones, or the local cluster (as it is, or as a run would
// bring it up).
std::size_t node_count(const TestConfig& c) {
  const remote::NodeOptions& o = c.nodes;
  if (o.nodes.empty() && o.nodes_file.empty() && !remote::cluster_status(o.cluster).healthy()) {
    return static_cast<std::size_t>(c.cluster_size);
  }
  return remote::resolve_nodes(o).nodes.size();
}

boost::json::object read_json(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw InputMissing(file.string() + ": cannot open");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) throw std::runtime_error(file.string() + ": not a JSON object");
  return v.as_object();
}

// The run's trade-off summary: results.json's own, else (or with another convergence timeout)
// computed from its history.
boost::json::object summary_of(const fs::path& run_dir, const std::string& mode,
                               std::optional<double> timeout_s) {
  boost::json::object results = read_json(run_dir / "results.json");
  boost::json::object summary;
  const auto* stored = results.if_contains("tradeoff");
  if (stored && stored->is_object() && !timeout_s) {
    summary = stored->as_object();
  } else {
    History h = read_run_history(run_dir / "history.jsonl", nullptr);
    TradeoffOptions options;
    options.convergence_timeout_s = timeout_s.value_or(options.convergence_timeout_s);
    summary = tradeoff_summary(h, results, options);
  }
  summary["mode"] = mode;
  summary["run"] = fs::absolute(run_dir).lexically_normal().string();
  return summary;
}

// Sends std::cout to std::cerr while alive (the runs print their verdicts; --json keeps
// stdout for the array).
class CoutToCerr {
 public:
  explicit CoutToCerr(bool on) : old_(on ? std::cout.rdbuf(std::cerr.rdbuf()) : nullptr) {}
  ~CoutToCerr() {
    if (old_) std::cout.rdbuf(old_);
  }

 private:
  std::streambuf* old_;
};

int run_compare(const CompareCli& cli, const std::vector<Mode>& modes, const TestConfig& base) {
  boost::json::array summaries;
  for (const Mode& mode : modes) {
    TestConfig config = apply_mode(base, mode);
    if (cli.convergence_timeout_s > 0) config.convergence_timeout_s = cli.convergence_timeout_s;
    TestPlan plan = validate(config);
    std::cerr << "faultline compare: mode " << mode.text << " (seed " << plan.seed << ")\n";
    {
      CoutToCerr redirect(cli.json);
      run_tests(plan);
    }
    fs::path latest = fs::path(base.store) / "latest";
    fs::path run_dir = fs::is_symlink(latest) ? fs::canonical(latest) : latest;
    summaries.push_back(summary_of(run_dir, mode.text,
                                   cli.convergence_timeout_s > 0
                                       ? std::optional<double>(cli.convergence_timeout_s)
                                       : std::nullopt));
  }
  std::string title = "faultline compare: " + base.db + ", " + base.workload +
                      " workload, nemesis " + base.nemesis + ", " +
                      std::to_string(static_cast<long>(base.time_limit_s)) + " s, seed " +
                      std::to_string(*base.seed);
  fs::path html = cli.html.empty()
                      ? fs::path(base.store) / "compare" /
                            (base.db + "-" + base.workload + "-" + local_time(kRunStamp) + ".html")
                      : fs::path(cli.html);
  fs::path data = write_comparison_page(
      html, title, summaries,
      cli.convergence_timeout_s > 0 ? cli.convergence_timeout_s : base.convergence_timeout_s);
  std::ostream& table = cli.json ? std::cerr : std::cout;
  table << title << "\n"
        << comparison_table(summaries) << "report: " << html.string() << "\n"
        << "data: " << data.string() << "\n";
  if (cli.json) std::cout << pretty_json(summaries) << "\n";
  return kExitValid;
}

}  // namespace

void add_compare_commands(CLI::App& app, CommandAction& action) {
  auto o = std::make_shared<CompareCli>();
  TestConfig& c = o->config;
  c.nemesis = "partition";
  auto* cmd = app.add_subcommand(
      "compare",
      "Run the same workload and faults once per consistency mode of a store and "
      "compare staleness, convergence, availability and latency side by side");
  cmd->add_option("--db", c.db, "Database: " + adapters::builtin_store_names())
      ->capture_default_str();
  cmd->add_option("--test-file", o->test_file,
                  "A TOML test file (docs/test-files.md) whose store ([db], [client], "
                  "[settings]) to compare, instead of --db; it may also set this command's "
                  "options (the command line wins)");
  cmd->add_option("--modes", o->modes,
                  "Modes, comma-separated, each option=value (several joined by '+'): " +
                      builtin_settings_help() +
                      "; or a test file's [settings] (required, on "
                      "the command line or in the test file)");
  cmd->add_option("--workload", c.workload, "Workload: register or set")->capture_default_str();
  cmd->add_option("--nemesis", c.nemesis, "Faults (as for `test`)")->capture_default_str();
  cmd->add_option("--time-limit", c.time_limit_s, "Seconds of client operations per mode")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Random seed shared by every mode (default: random)");
  cmd->add_option("--nemesis-interval", c.nemesis_interval_s, "Seconds between fault changes")
      ->capture_default_str();
  cmd->add_option("--concurrency", c.concurrency, "Client processes: a count, or Kn for K per node")
      ->capture_default_str();
  cmd->add_option("--rate", c.rate, "Operations per second over all clients (0: unlimited)")
      ->capture_default_str();
  cmd->add_option("--op-timeout", c.op_timeout_ms, "Timeout of each client request (ms)")
      ->capture_default_str();
  cmd->add_option("--recovery-timeout", c.recovery_timeout_s,
                  "Seconds to wait for the cluster to recover after healing")
      ->capture_default_str();
  cmd->add_option("--convergence-timeout", o->convergence_timeout_s,
                  "Seconds after the last heal within which every node must agree; the "
                  "register's final reads go on this long at most (default: 30)");
  cmd->add_option("--cluster-size", c.cluster_size, "Nodes of the local cluster, if brought up")
      ->capture_default_str();
  cmd->add_option("--store", c.store, "Directory of run directories")->capture_default_str();
  cmd->add_option("--name", c.name, "Prefix of the runs' test names");
  cmd->add_option("--html", o->html,
                  "Write the side-by-side page here (default: <store>/compare/)");
  cmd->add_flag("--json", o->json, "Print the comparison as a JSON array on stdout");
  remote::add_node_options(*cmd, c.nodes);
  cmd->callback([o, cmd, &action] {
    std::optional<TestFile> file;
    if (!o->test_file.empty()) {
      file = load_test_file(o->test_file);
      if (file->store && cmd->count("--db") > 0) {
        throw UsageError("--db: the test file " + o->test_file + " describes its own store ([db])");
      }
      apply_test_file_options(*file, *cmd, test_option_keys());
      check_test_file_client(*file);
    }
    if (o->modes.empty())
      throw UsageError("--modes is required (on the command line or in the test file)");
    TestConfig base = o->config;
    if (file) use_test_file_store(*file, base);
    std::vector<Mode> modes = parse_modes(store_of(base), o->modes);
    base.seed = cmd->count("--seed") > 0
                    ? o->seed
                    : (std::uint64_t{std::random_device{}()} << 32) | std::random_device{}();
    if (cmd->count("--convergence-timeout") > 0 && !(o->convergence_timeout_s > 0)) {
      throw UsageError("--convergence-timeout must be positive");
    }
    for (const Mode& m : modes) validate(apply_mode(base, m));  // numbers, workload, nemesis
    check_modes_fit(modes, node_count(base));
    action = [o, modes, base] { return run_compare(*o, modes, base); };
  });
}

}  // namespace faultline
