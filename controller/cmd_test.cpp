// `faultline test` (a test run against a real cluster, its options perhaps from a test file)
// and `faultline demo` (the same with good defaults on the local cluster). The run itself:
// controller/run/runner.h.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>
#include <optional>

#include "adapters/db.h"
#include "controller/commands.h"
#include "controller/compare/modes.h"
#include "controller/run/runner.h"
#include "controller/test_cli.h"

namespace faultline {
namespace {

void add_workload_options(CLI::App& cmd, TestCli& o) {
  WorkloadOptions& w = o.config.workload_options;
  cmd.add_option("--keys", w.keys, "register: keys in use at a time")->capture_default_str();
  cmd.add_option("--ops-per-key", w.ops_per_key,
                 "register: operations per key before moving to fresh keys")
      ->capture_default_str();
  cmd.add_option("--read-share", o.read_share,
                 "Share of reads among operations (default: register 0.5, set 0.1, bank 0.5)")
      ->check(CLI::Range(0.0, 1.0));
  cmd.add_option("--cas-share", w.cas_share, "register: share of compare-and-set operations")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd.add_option("--accounts", w.accounts, "bank: number of accounts")->capture_default_str();
  cmd.add_option("--total", w.total, "bank: money in all accounts together")->capture_default_str();
}

void add_run_options(CLI::App& cmd, TestCli& o) {
  TestConfig& c = o.config;
  remote::add_node_options(cmd, c.nodes);
  cmd.add_option("--cluster-size", c.cluster_size,
                 "Nodes of the local cluster, when this run has to bring it up")
      ->capture_default_str();
  cmd.add_option("--time-limit", c.time_limit_s, "Seconds of client operations")
      ->capture_default_str();
  cmd.add_option("--seed", o.seed, "Random seed of operations and faults (default: random)");
  cmd.add_option("--store", c.store, "Directory of run directories")->capture_default_str();
  cmd.add_option("--nemesis-interval", c.nemesis_interval_s,
                 "Seconds between fault changes: a fault starts, lasts this long, and the "
                 "next starts after as long again")
      ->capture_default_str();
  cmd.add_option("--grudge", c.grudge,
                 "Shape of every partition: halves, random-halves, one, majorities-ring, bridge, "
                 "minority-third, primaries (default: a random shape each time)");
  cmd.add_option("--op-timeout", c.op_timeout_ms, "Timeout of each client request (ms)")
      ->capture_default_str();
  cmd.add_option("--recovery-timeout", c.recovery_timeout_s,
                 "Seconds to wait for the cluster to recover after healing")
      ->capture_default_str();
  cmd.add_option("--convergence-timeout", c.convergence_timeout_s,
                 "register: seconds the final reads may take for every node to agree on every "
                 "key (longer: the run fails eventual consistency)")
      ->capture_default_str();
  cmd.add_option("--check-time-limit", c.check_time_limit_s,
                 "Seconds the linearizability search may take (0: no limit)")
      ->capture_default_str();
  cmd.add_flag("--stop-on-invalid", c.stop_on_invalid,
               "End the client phase at the online check's first proven violation (healing, "
               "final reads, the full check and the report still happen; docs/online.md)");
}

}  // namespace

TestConfig test_config_of(const TestCli& o, const CLI::App& cmd, const TestFile* file) {
  TestConfig config = o.config;
  if (file) {
    use_test_file_store(*file, config);
    config.test_file = std::filesystem::absolute(file->path).string();
  }
  if (!config.schedule_file.empty())
    config.schedule_file = std::filesystem::absolute(config.schedule_file).string();
  if (cmd.count("--seed") > 0) config.seed = o.seed;
  if (o.read_share >= 0) config.workload_options.read_share = o.read_share;
  if (!o.isolation.empty()) apply_db_settings(config, {"isolation=" + o.isolation});
  if (!o.failover.empty()) apply_db_settings(config, {"failover=" + o.failover});
  apply_db_settings(config, o.db_settings);
  return config;
}

TestFile read_test_file_options(const std::string& path, CLI::App& cmd) {
  TestFile file = load_test_file(path);
  if (file.store && cmd.count("--db") > 0) {
    throw UsageError("--db " + cmd.get_option("--db")->results().front() + ": the test file " +
                     path + " describes its own store ([db])");
  }
  apply_test_file_options(file, cmd);
  check_test_file_client(file);
  return file;
}

void add_test_options(CLI::App& cmd, TestCli& opts) {
  TestCli* o = &opts;
  CLI::App* test = &cmd;
  TestConfig& c = o->config;
  test->add_option("--db", c.db, "Database: " + adapters::builtin_store_names())
      ->capture_default_str();
  test->add_option("--workload", c.workload,
                   "Workload, one the store's client speaks (" + builtin_workloads_help() +
                       "; a test file's [client] workloads)")
      ->capture_default_str();
  test->add_option("--nemesis", c.nemesis,
                   "Faults: none, or kinds among partition, clock, kill, pause, packet, crash "
                   "(comma-separated), or all")
      ->capture_default_str();
  test->add_option("--schedule", c.schedule_file,
                   "A schedule.json (a run's, or edited): apply exactly these faults instead of "
                   "--nemesis' random ones (docs/shrinking.md)");
  test->add_option("--concurrency", c.concurrency,
                   "Client processes: a count, or Kn for K per node")
      ->capture_default_str();
  test->add_option("--rate", c.rate, "Operations per second over all clients (0: unlimited)")
      ->capture_default_str();
  test->add_option("--read-consistency", c.read_consistency,
                   "linearizable, or serializable (reads served locally, possibly stale)")
      ->capture_default_str();
  test->add_option("--test-count", c.test_count,
                   "Run the test this many times; the exit code is the worst verdict")
      ->capture_default_str();
  test->add_option("--name", c.name, "Test name (default <db>-<workload>[-<nemesis>])");
  test->add_option("--db-setting", o->db_settings,
                   "A database option NAME=VALUE, repeatable, as `faultline compare --modes` "
                   "names them (" +
                       builtin_settings_help() + "; a test file's [settings])");
  test->add_option("--failover", o->failover,
                   "redis: none or sentinel (the setting failover: Redis Sentinel promotes a "
                   "replica when the primary is cut off)");
  test->add_option("--isolation", o->isolation,
                   "postgres: serializable, repeatable-read or read-committed (the setting "
                   "isolation; transactional workloads are judged against the model it "
                   "promises)");
  test->add_option("--consistency-model", c.workload_options.consistency_model,
                   "list-append, rw-register: judge against this model instead of the one the "
                   "database's settings promise (e.g. serializable)");
  add_run_options(*test, *o);
  add_workload_options(*test, *o);
}

void add_test_commands(CLI::App& app, CommandAction& action) {
  auto o = std::make_shared<TestCli>();
  auto test_file = std::make_shared<std::string>();
  auto* test = app.add_subcommand(
      "test",
      "Run a workload against a database cluster under faults, record the history and "
      "check it (exit 0 valid, 1 invalid, 2 unknown)");
  test->add_option("--test-file", *test_file,
                   "A TOML test file (docs/test-files.md): options, and perhaps a store of its "
                   "own ([db], [client], [settings]); the command line overrides it");
  add_test_options(*test, *o);
  test->callback([o, test, test_file, &action] {
    std::optional<TestFile> file;
    if (!test_file->empty()) file = read_test_file_options(*test_file, *test);
    TestPlan plan = validate(test_config_of(*o, *test, file ? &*file : nullptr));
    action = [plan] { return run_tests(plan); };
  });

  auto d = std::make_shared<TestCli>();
  d->config.workload = "register";
  d->config.nemesis = "partition,kill";
  d->config.nemesis_interval_s = 8;
  d->config.workload_options.keys = 8;
  auto* demo = app.add_subcommand(
      "demo",
      "faultline's main job, with good defaults: etcd on the local 5-node cluster "
      "(brought up if absent), a register workload on several keys under partitions "
      "and killed processes for 60 s, then the verdict and the run directory");
  add_run_options(*demo, *d);
  demo->callback([d, demo, &action] {
    TestPlan plan = validate(test_config_of(*d, *demo, nullptr));
    action = [plan] { return run_tests(plan); };
  });
}

}  // namespace faultline
