// `faultline bench nemesis`: how long a partition takes to reach every node, and to heal.
// Sessions are connected first and reused, nodes are changed in parallel; each round applies
// a random `one` grudge (a different isolated node each time) and heals it. Figures are the
// wall time of start() and stop() as the controller sees them, from the first command sent to
// the last node's exit status.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "controller/commands.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"
#include "nemesis/fault.h"
#include "remote/node_options.h"
#include "remote/node_set.h"

namespace faultline {
namespace {

struct BenchNemesisOptions {
  remote::NodeOptions nodes;
  int rounds = 30;
  std::uint64_t seed = 1;
};

struct LatencyFigures {
  double median, p90, max;
};

LatencyFigures latency_figures(std::vector<double> millis) {
  std::sort(millis.begin(), millis.end());
  auto at = [&](double q) { return millis[static_cast<std::size_t>(q * (millis.size() - 1))]; };
  return {at(0.5), at(0.9), millis.back()};
}

int bench_nemesis(const BenchNemesisOptions& o) {
  remote::NodesFile file = remote::resolve_nodes(o.nodes);
  remote::NodeSet nodes(file.nodes);
  nodes.connect_all();
  nemesis::NemesisContext context(nodes, nullptr);
  nemesis::FaultOptions options;
  options.grudge = nemesis::GrudgeKind::kOne;
  auto partition = nemesis::make_fault(nemesis::FaultKind::kPartition, options, context);
  partition->check();
  partition->stop();  // start from a clean state (and warm every session)
  std::mt19937_64 rng(o.seed);
  std::vector<double> start_ms, heal_ms;
  using Clock = std::chrono::steady_clock;
  for (int round = 0; round < o.rounds; ++round) {
    auto t0 = Clock::now();
    partition->start(rng);
    auto t1 = Clock::now();
    partition->stop();
    auto t2 = Clock::now();
    start_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    heal_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
  }
  const LatencyFigures s = latency_figures(start_ms), h = latency_figures(heal_ms);
  std::printf("partition (grudge one) on all %zu nodes in parallel, %d rounds, sessions reused\n",
              file.nodes.size(), o.rounds);
  std::printf("apply: median %.1f ms, p90 %.1f ms, max %.1f ms (target median <= 50 ms: %s)\n",
              s.median, s.p90, s.max, s.median <= 50.0 ? "met" : "MISSED");
  std::printf("heal:  median %.1f ms, p90 %.1f ms, max %.1f ms (target median <= 50 ms: %s)\n",
              h.median, h.p90, h.max, h.median <= 50.0 ? "met" : "MISSED");
  return kExitValid;
}

}  // namespace

void add_bench_nemesis_commands(CLI::App& app, CommandAction& action) {
  CLI::App* bench = bench_group(app);
  auto options = std::make_shared<BenchNemesisOptions>();
  auto* command = bench->add_subcommand(
      "nemesis", "Time applying and healing a partition on every node (needs the nodes)");
  remote::add_node_options(*command, options->nodes);
  command->add_option("--rounds", options->rounds, "Rounds")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  command->add_option("--seed", options->seed, "Seed of the isolated nodes")->capture_default_str();
  command->callback([options, &action] { action = [o = *options] { return bench_nemesis(o); }; });
}

}  // namespace faultline
