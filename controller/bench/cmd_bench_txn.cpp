// `faultline bench txn`: figures for the transactional (Elle-style) checker.
//
// Generates list-append histories (controller/bench/gen/list_append_history.h) of the given
// sizes and checks each one, printing generation time, check time (compiling the txn
// operations plus the whole analysis; the history is already in memory, as after a
// run), throughput, the verdict and peak memory. Peak memory is the process's resident
// high-water mark during the check (reset through /proc/self/clear_refs before it, so
// it includes the generated history itself); where the reset is refused it says so.

#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "checker/txn/check.h"
#include "checker/txn/consistency_models.h"
#include "controller/bench/gen/list_append_history.h"
#include "controller/bench/measure.h"
#include "controller/commands.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"

namespace faultline {
namespace {

using namespace bench;  // NOLINT: the measuring helpers

struct BenchTxnOptions {
  std::vector<std::size_t> sizes{100000, 1000000};
  int threads = 2;
  int keys = 100;
  int processes = 10;
  double stale_reads = 0;
  std::uint64_t seed = 1;
  std::string consistency_model = "strict-serializable";
};

// The targets (seconds) for the two standard sizes.
double target_for(std::size_t txns) {
  if (txns == 100000) return 0.3;
  if (txns == 1000000) return 4.0;
  return 0;
}

int run_bench_txn(const BenchTxnOptions& o) {
  std::cout << "(check_s is wall time; check_cpu_s / threads bounds it on an idle machine; "
               "load average "
            << load_average() << " on " << std::thread::hardware_concurrency() << " cores)\n";
  std::cout << "list-append check, " << o.threads << " threads, " << o.keys << " active keys, "
            << o.processes << " clients, 1-5 micro-ops, consistency model " << o.consistency_model
            << "\n";
  bool all_met = true;
  for (std::size_t size : o.sizes) {
    ListAppendGenOptions gen;
    gen.txns = size;
    gen.active_keys = o.keys;
    gen.processes = o.processes;
    gen.stale_read_fraction = o.stale_reads;
    gen.seed = o.seed;
    auto t = Clock::now();
    History history = generate_list_append_history(gen);
    const double gen_s = seconds_since(t);

    txn::TxnCheckOptions options;
    options.workload = txn::ObjectKind::kListAppend;
    options.consistency_model = o.consistency_model;
    options.threads = o.threads;
    const bool reset = reset_peak_rss();
    t = Clock::now();
    const double cpu_before = process_cpu_seconds();
    txn::TxnCheckResult result = txn::check_transactions(history, options);
    const double check_s = seconds_since(t);
    const double check_cpu_s = process_cpu_seconds() - cpu_before;
    const double peak = peak_rss_mib();

    std::ostringstream line;
    line << std::fixed << std::setprecision(3);
    line << "txns=" << size << " generate_s=" << gen_s << " check_s=" << check_s
         << " check_cpu_s=" << check_cpu_s << " txn_per_s=" << std::setprecision(0)
         << size / check_s << std::setprecision(3) << " verdict=" << to_string(result.verdict)
         << " peak_rss_mib=" << std::setprecision(0) << peak
         << (reset ? "" : " (process peak; reset refused)")
         << " checker_mib=" << result.peak_memory_bytes / (1024.0 * 1024.0)
         << " edges=" << result.edges << " cyclic_components=" << result.cyclic_components;
    line << std::setprecision(1) << " stages_ms=";
    bool first = true;
    for (const auto& [stage, ms] : result.stage_ms) {
      line << (first ? "" : ",") << stage << ":" << ms;
      first = false;
    }
    std::cout << line.str() << "\n";
    if (const double target = target_for(size); target > 0) {
      const bool met = check_s <= target;
      all_met &= met;
      const double idle_s = check_cpu_s / o.threads;
      std::ostringstream t;
      t << std::fixed << std::setprecision(2) << "  target: " << size << " txns in <= " << target
        << " s on " << o.threads << " threads: " << (met ? "met" : "NOT met") << ", wall "
        << check_s << " s = " << check_s / target << " x target; cpu/threads " << idle_s
        << " s = " << idle_s / target << " x target; peak memory " << std::setprecision(0) << peak
        << " MiB (load average now " << load_average() << ")";
      std::cout << t.str() << "\n";
    }
    if (!result.anomaly_counts.empty()) {
      std::cout << "  anomalies:";
      for (const auto& [type, count] : result.anomaly_counts)
        std::cout << " " << type << "=" << count;
      std::cout << "\n";
    }
  }
  (void)all_met;  // a benchmark reports figures; it does not fail on them
  return kExitValid;
}

}  // namespace

void add_bench_txn_commands(CLI::App& app, CommandAction& action) {
  CLI::App* bench = bench_group(app);
  auto o = std::make_shared<BenchTxnOptions>();
  auto* txn = bench->add_subcommand(
      "txn", "Generate list-append histories and time the transactional checker on them");
  txn->add_option("--txns", o->sizes, "History sizes in transactions (default: 100000 1000000)");
  txn->add_option("--threads", o->threads, "Worker threads (default 2)")
      ->check(CLI::PositiveNumber);
  txn->add_option("--keys", o->keys, "Active keys (default 100)")->check(CLI::PositiveNumber);
  txn->add_option("--clients", o->processes, "Concurrent clients (default 10)")
      ->check(CLI::PositiveNumber);
  txn->add_option("--stale-reads", o->stale_reads,
                  "Fraction of reads that miss the last append, to bench invalid histories")
      ->check(CLI::Range(0.0, 1.0));
  txn->add_option("--seed", o->seed, "Random seed (default 1)");
  txn->add_option("--consistency-model", o->consistency_model,
                  "Model to check (default strict-serializable)");
  txn->callback([o, &action] {
    if (!txn::find_consistency_model(o->consistency_model)) {
      throw UsageError(txn::UnknownConsistencyModel(o->consistency_model).what());
    }
    action = [o] { return run_bench_txn(*o); };
  });
}

}  // namespace faultline
