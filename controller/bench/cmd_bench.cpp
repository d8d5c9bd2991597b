// `faultline bench check|generate|scaling`: figures for the linearizability checker.
//
// bench check   parse and check each history, printing parse time, check time (parse
//               excluded), verdict and peak memory; last line `total: parse_ms=X check_ms=Y`.
// bench generate  a large valid register history (bench/gen) as JSONL or EDN.
// bench read      ingestion speed and memory per operation (cmd_bench_read.cpp).
// bench scaling   one thread against two on a generated many-key history.
//
// Peak memory per history: before each check the kernel's resident high-water mark is
// reset (/proc/self/clear_refs, "5"), so VmHWM afterwards is the peak during that check
// (it includes the parsed history already resident). Where the reset is refused the
// figure is the process's peak so far, and the output says so.

#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "checker/history/edn_writer.h"
#include "checker/history/history.h"
#include "checker/history/jsonl.h"
#include "checker/lin/check.h"
#include "controller/bench/cmd_bench_read.h"
#include "controller/bench/gen/register_history.h"
#include "controller/bench/measure.h"
#include "controller/commands.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"

namespace faultline {
namespace {

using namespace bench;  // NOLINT: the measuring helpers

std::string base_name(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

struct CheckBenchOptions {
  std::vector<std::string> files;
  std::string model, format, initial;
  int threads = 0;
  bool no_partition = false, all_keys = false;
  bool explain = false;  // off: the verdict alone, as Porcupine's timed check computes
  int repeat = 1;
  double time_limit = 0;
  std::size_t memory_limit = 0;
};

CheckOptions to_check_options(const CheckBenchOptions& o) {
  CheckOptions options;
  options.model = o.model;
  options.threads = o.threads;
  options.partition = !o.no_partition;
  options.all_keys = o.all_keys;
  options.explain = o.explain;
  options.time_limit_s = o.time_limit;
  options.memory_limit_mib = o.memory_limit;
  if (!o.initial.empty()) {
    boost::system::error_code ec;
    options.initial = boost::json::parse(o.initial, ec);
    if (ec) options.initial = boost::json::value(o.initial);  // a bare word: a string
  }
  return options;
}

int run_bench_check(const CheckBenchOptions& o) {
  std::optional<HistoryFormat> format;
  if (!o.format.empty()) {
    format = parse_history_format(o.format);
    if (!format) throw UsageError("unknown --format '" + o.format + "'");
  }
  CheckOptions options = to_check_options(o);
  auto names = model_names();
  if (std::find(names.begin(), names.end(), o.model) == names.end()) {
    throw UsageError(UnknownModel(o.model).what());
  }
  double total_parse = 0, total_check = 0, total_cpu = 0, max_peak = 0;
  std::size_t valid = 0, invalid = 0, unknown = 0;
  bool peak_is_per_history = true;
  for (const std::string& file : o.files) {
    auto parse_start = Clock::now();
    History history = read_history(file, format);
    double parse_ms = ms_since(parse_start);

    // Each repetition checks from scratch; the median is reported (the minimum too).
    std::vector<double> times, cpu_times;
    CheckResult result;
    double peak = 0;
    for (int r = 0; r < o.repeat; ++r) {
      peak_is_per_history = reset_peak_rss() && peak_is_per_history;
      double cpu_start = process_cpu_seconds() * 1e3;
      auto check_start = Clock::now();
      result = check_linearizable(history, options);
      times.push_back(ms_since(check_start));
      cpu_times.push_back(process_cpu_seconds() * 1e3 - cpu_start);
      peak = std::max(peak, peak_rss_mib());
    }
    std::sort(times.begin(), times.end());
    std::sort(cpu_times.begin(), cpu_times.end());
    double check_ms = times[times.size() / 2];
    total_cpu += cpu_times[cpu_times.size() / 2];
    total_parse += parse_ms;
    total_check += check_ms;
    max_peak = std::max(max_peak, peak);
    (result.verdict == Verdict::kValid     ? valid
     : result.verdict == Verdict::kInvalid ? invalid
                                           : unknown)++;
    std::string partitions_unknown;  // the distinct reasons of undecided partitions
    std::size_t undecided = 0;
    for (const auto& p : result.partitions) {
      if (p.verdict != Verdict::kUnknown) continue;
      ++undecided;
      if (partitions_unknown.find(p.reason) == std::string::npos) {
        partitions_unknown += (partitions_unknown.empty() ? "" : ",") + p.reason;
      }
    }
    std::cout << base_name(file) << "  ops=" << result.operations
              << "  partitions=" << result.partitions.size() << "  undecided=" << undecided
              << "  parse_ms=" << fixed(parse_ms, 2) << "  check_ms=" << fixed(check_ms, 3);
    if (o.repeat > 1) std::cout << " (min " << fixed(times.front(), 3) << ")";
    std::cout << "  cpu_ms=" << fixed(cpu_times[cpu_times.size() / 2], 1);
    std::cout << "  verdict=" << to_string(result.verdict);
    if (!partitions_unknown.empty()) std::cout << " (" << partitions_unknown << ")";
    std::cout << "  states=" << result.states_explored << "  peak_rss_mib=" << fixed(peak, 1)
              << "  engine_peak_mib=" << fixed(result.peak_memory_bytes / 1048576.0, 1) << '\n';
  }
  std::cout << "verdicts: valid=" << valid << " invalid=" << invalid << " unknown=" << unknown
            << "  max_peak_rss_mib=" << fixed(max_peak, 1)
            << (peak_is_per_history ? " (per history: high-water mark reset before each check)"
                                    : " (process high-water mark: reset refused)")
            << "  threads=" << (o.threads == 0 ? std::string("all") : std::to_string(o.threads))
            << "  check_cpu_ms=" << fixed(total_cpu, 1) << '\n';
  std::cout << "total: parse_ms=" << fixed(total_parse, 2) << " check_ms=" << fixed(total_check, 3)
            << '\n';
  return kExitValid;
}

void add_generator_options(CLI::App* cmd, RegisterHistoryOptions& g) {
  cmd->add_option("--ops", g.ops, "Client operations")->check(CLI::PositiveNumber);
  cmd->add_option("--keys", g.keys, "Independent registers (keys)")->check(CLI::PositiveNumber);
  cmd->add_option("--processes", g.processes, "Concurrent clients")->check(CLI::PositiveNumber);
  cmd->add_option("--info", g.info_fraction, "Share of unknown outcomes")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--reads", g.read_fraction, "Share of reads")->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--distinct", g.distinct_values, "Every write of a key writes a new value");
  cmd->add_option("--seed", g.seed, "Random seed");
}

int run_bench_generate(const RegisterHistoryOptions& g, const std::string& output,
                       const std::string& format) {
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  if (!out) throw UsageError("cannot write " + output);
  JsonlWriter writer(out);
  std::string line;
  std::size_t lines = 0;
  auto start = Clock::now();
  generate_register_history(g, [&](const Operation& op) {
    if (format == "edn") {
      line.clear();
      append_edn_line(line, op);
      line += '\n';
      out.write(line.data(), static_cast<std::streamsize>(line.size()));
    } else {
      writer.write(op);
    }
    ++lines;
  });
  writer.flush();
  if (!out) throw std::runtime_error("writing " + output + " failed");
  std::cout << "wrote " << lines << " lines (" << g.ops << " operations, " << g.keys << " keys, "
            << g.processes << " processes, info " << g.info_fraction
            << (g.distinct_values ? ", distinct values" : "") << ", seed " << g.seed << ") to "
            << output << " in " << fixed(ms_since(start), 0)
            << " ms; check with --model register\n";
  return kExitValid;
}

int run_bench_scaling(const RegisterHistoryOptions& g, int repeat) {
  History history = generate_register_history(g);
  std::cout << "history: " << g.ops << " operations over " << g.keys << " keys, " << g.processes
            << " processes, info " << g.info_fraction << ", seed " << g.seed << '\n';
  double best[3] = {0, 0, 0};
  // Runs alternate between 1 and 2 threads, so that a burst of load elsewhere on the
  // machine hits both figures alike.
  for (int r = 0; r < repeat; ++r) {
    for (int threads : {1, 2}) {
      CheckOptions options;
      options.model = "register";
      options.threads = threads;
      auto start = Clock::now();
      CheckResult result = check_linearizable(history, options);
      double ms = ms_since(start);
      if (result.verdict != Verdict::kValid) {
        throw std::runtime_error("generated history judged " +
                                 std::string(to_string(result.verdict)) + ", expected valid");
      }
      if (r == 0 || ms < best[threads]) best[threads] = ms;
    }
  }
  for (int threads : {1, 2}) {
    std::cout << threads << (threads == 1 ? " thread:  " : " threads: ") << fixed(best[threads], 1)
              << " ms (best of " << repeat << ")\n";
  }
  std::cout << "scaling: " << fixed(best[1] / best[2], 2) << "x (2 threads vs 1)\n";
  return kExitValid;
}

}  // namespace

void add_bench_commands(CLI::App& app, CommandAction& action) {
  CLI::App* bench = bench_group(app);

  auto c = std::make_shared<CheckBenchOptions>();
  auto* check = bench->add_subcommand(
      "check", "Parse and check histories; print parse/check ms, verdict, peak memory");
  check->add_option("FILES", c->files, "History files")->required();
  check->add_option("--model", c->model, "Model (see `faultline check --help`)")->required();
  check->add_option("--format", c->format, "jsonl, edn, porcupine-etcd or porcupine-kv");
  check->add_option("--initial", c->initial, "Initial value of every register (JSON)");
  check->add_option("--threads", c->threads, "Threads (0 = all cores)")
      ->check(CLI::NonNegativeNumber);
  check->add_flag("--no-partition", c->no_partition, "Check as one whole map, no split by key");
  check->add_flag("--all-keys", c->all_keys, "Decide every key, even after an invalid one");
  check->add_flag("--explain", c->explain,
                  "Also build explanations of invalid partitions (off: time the verdict only)");
  check->add_option("--repeat", c->repeat, "Check each history R times; report the median")
      ->check(CLI::PositiveNumber);
  check->add_option("--time-limit", c->time_limit, "Seconds per history (0 = none)")
      ->check(CLI::NonNegativeNumber);
  check->add_option("--memory-limit", c->memory_limit, "MiB for the search (0 = default)");
  check->callback([c, &action] { action = [o = *c] { return run_bench_check(o); }; });

  auto g = std::make_shared<RegisterHistoryOptions>();
  auto output = std::make_shared<std::string>();
  auto gen_format = std::make_shared<std::string>("jsonl");
  g->ops = 1'000'000;
  g->keys = 1000;
  g->processes = 50;
  auto* generate = bench->add_subcommand(
      "generate", "Write a generated, valid register history (JSONL or EDN) for benchmarks");
  add_generator_options(generate, *g);
  generate->add_option("-o,--output", *output, "Output file")->required();
  generate
      ->add_option("--format", *gen_format, "jsonl (default) or edn (Jepsen's maps, one a line)")
      ->check(CLI::IsMember({"jsonl", "edn"}));
  generate->callback([g, output, gen_format, &action] {
    action = [g, output, gen_format] { return run_bench_generate(*g, *output, *gen_format); };
  });

  add_bench_read_command(bench, action);

  auto s = std::make_shared<RegisterHistoryOptions>();
  auto repeat = std::make_shared<int>(3);
  s->ops = 1'000'000;
  s->keys = 1000;
  s->processes = 50;
  auto* scaling = bench->add_subcommand(
      "scaling", "Check a generated many-key history on 1 and 2 threads; print the ratio");
  add_generator_options(scaling, *s);
  scaling->add_option("--repeat", *repeat, "Runs per thread count (best is kept)")
      ->check(CLI::PositiveNumber);
  scaling->callback(
      [s, repeat, &action] { action = [s, repeat] { return run_bench_scaling(*s, *repeat); }; });
}

}  // namespace faultline
