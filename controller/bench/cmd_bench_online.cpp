// `faultline bench online`: the online checker keeping up with a run.
//
// A generated register history (checker/gen, keys rotating as the register workload rotates
// them) is replayed at a fixed rate into an OnlineFeed, as the recorder feeds it in a run:
// each operation is stamped with the wall time at which it is handed over. For every key
// decided, the lag of each of its completions (decision time minus completion time) goes into
// a histogram. Printed: lag p50/p99/max, the memory the checker held (operations of open keys
// and of the queue; the process's peak RSS beside it), and the time from the last operation
// to the final verdict. Last line:
//   online: lag_p99_ms=X lag_max_ms=Y final_ms=Z peak_mib=W ops=N

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include "checker/online/online_feed.h"
#include "checker/online/online_lin.h"
#include "controller/bench/gen/register_history.h"
#include "controller/bench/measure.h"
#include "controller/commands.h"
#include "controller/errors.h"

namespace faultline {
namespace {

using namespace bench;  // NOLINT: the measuring helpers

struct OnlineBenchOptions {
  RegisterHistoryOptions history;
  double rate = 200'000;  // client operations per second (an invocation and a completion each)
};

// Lags in 0.1 ms buckets up to 60 s; the maximum exactly.
class LagHistogram {
 public:
  void add(std::int64_t lag_ns) {
    lag_ns = std::max<std::int64_t>(lag_ns, 0);
    const std::size_t bucket =
        std::min<std::size_t>(static_cast<std::size_t>(lag_ns / 100'000), kBuckets - 1);
    ++counts_[bucket];
    ++total_;
    max_ns_ = std::max(max_ns_, lag_ns);
  }
  double percentile_ms(double q) const {
    if (total_ == 0) return 0;
    const auto want = static_cast<std::uint64_t>(q * static_cast<double>(total_ - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t b = 0; b < kBuckets; ++b) {
      seen += counts_[b];
      if (seen >= want) return std::min(static_cast<double>(b + 1) * 0.1, max_ms());
    }
    return max_ms();
  }
  double max_ms() const { return static_cast<double>(max_ns_) / 1e6; }
  std::uint64_t total() const { return total_; }

 private:
  static constexpr std::size_t kBuckets = 600'000;
  std::vector<std::uint64_t> counts_ = std::vector<std::uint64_t>(kBuckets);
  std::uint64_t total_ = 0;
  std::int64_t max_ns_ = 0;
};

int run_bench_online(const OnlineBenchOptions& o) {
  const auto start = Clock::now();
  auto now_ns = [start] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
  };
  OnlineLinOptions options;
  options.check.model = "cas-register";
  options.check.all_keys = true;
  options.rotation = KeyRotation{o.history.keys, o.history.processes};
  options.keep_valid_partitions = false;
  options.source = "generated";
  auto check = std::make_unique<OnlineLinearizability>(options);
  LagHistogram lags;
  std::size_t keys_decided = 0;
  check->on_decided = [&](const KeyDecision& d) {  // on the feed's thread
    const std::int64_t decided = now_ns();
    ++keys_decided;
    for (const Operation& op : d.ops) {
      if (op.is_completion()) lags.add(decided - op.time);
    }
  };
  OnlineFeed feed(std::move(check));

  // Samples the memory held (queue included) while the replay runs.
  std::atomic<bool> replaying{true};
  std::size_t peak_held = 0, peak_open_keys = 0;
  std::thread sampler([&] {
    while (replaying.load()) {
      const OnlineState s = feed.state();
      peak_held = std::max(peak_held, s.held_bytes);
      peak_open_keys = std::max(peak_open_keys, s.pending);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });

  // Record j is due at j / (2 * rate) seconds.
  const double records_per_ns = 2 * o.rate / 1e9;
  std::uint64_t records = 0;
  std::int64_t behind_ns = 0;     // how far the replay itself fell behind its schedule, at most
  std::size_t history_bytes = 0;  // every record, measured as held_bytes measures them
  generate_register_history(o.history, [&](const Operation& generated) {
    const auto due = static_cast<std::int64_t>(static_cast<double>(records) / records_per_ns);
    if ((records & 255) == 0) {
      const std::int64_t t = now_ns();
      if (t < due)
        std::this_thread::sleep_for(std::chrono::nanoseconds(due - t));
      else
        behind_ns = std::max(behind_ns, t - due);
    }
    Operation op = generated;
    op.time = now_ns();
    history_bytes += approximate_bytes(op);
    feed.push(std::move(op));
    ++records;
  });
  const std::int64_t last_op = now_ns();
  feed.finish();
  const std::int64_t final_ns = now_ns() - last_op;
  replaying.store(false);
  sampler.join();

  const OnlineState s = feed.state();
  const CheckResult result = static_cast<OnlineLinearizability&>(feed.check()).result();
  peak_held = std::max(peak_held, s.peak_held_bytes);
  const double replay_s = static_cast<double>(last_op) / 1e9;
  const double ops = static_cast<double>(o.history.ops);
  const double peak_mib = static_cast<double>(peak_held) / (1 << 20);
  const double final_ms = static_cast<double>(final_ns) / 1e6;

  std::cout << "replayed " << o.history.ops << " operations (" << records << " records) in "
            << fixed(replay_s, 1) << " s: " << fixed(ops / replay_s, 0) << " ops/s (asked "
            << fixed(o.rate, 0) << "; the replay fell at most " << fixed(behind_ns / 1e6, 1)
            << " ms behind its schedule)\n";
  std::cout << "keys: " << keys_decided << " decided (" << s.valid << " valid, " << s.invalid
            << " invalid, " << s.unknown << " unknown), groups of " << o.history.keys << ", "
            << o.history.ops_per_key << " operations per key, " << o.history.processes
            << " clients; at most " << peak_open_keys << " open at once; checking them took "
            << fixed(result.elapsed_ms, 0) << " ms in all ("
            << fixed(
                   keys_decided ? result.elapsed_ms * 1000 / static_cast<double>(keys_decided) : 0,
                   0)
            << " us a key)\n";
  std::cout << "lag, completion to key decided (" << lags.total() << " completions): p50 "
            << fixed(lags.percentile_ms(0.50), 1) << " ms, p99 "
            << fixed(lags.percentile_ms(0.99), 1) << " ms, max " << fixed(lags.max_ms(), 1)
            << " ms   (target: p99 <= 1000 ms)\n";
  std::cout << "memory held by the checker: peak " << fixed(peak_mib, 2)
            << " MiB for open keys and the queue; "
            << "the whole history, measured alike, "
            << fixed(static_cast<double>(history_bytes) / (1 << 20), 0) << " MiB; process peak RSS "
            << fixed(peak_rss_mib(), 0) << " MiB   (target: bounded by open keys)\n";
  std::cout << "final verdict " << to_string(result.verdict) << ", " << fixed(final_ms, 1)
            << " ms after the last operation   (target: <= 1000 ms)\n";
  std::cout << "targets: lag_p99_ms <= 1000, final_ms <= 1000, peak_mib bounded by open keys\n";
  std::cout << "online: lag_p99_ms=" << fixed(lags.percentile_ms(0.99), 1)
            << " lag_max_ms=" << fixed(lags.max_ms(), 1) << " final_ms=" << fixed(final_ms, 1)
            << " peak_mib=" << fixed(peak_mib, 2) << " ops=" << o.history.ops << "\n";
  return 0;
}

}  // namespace

void add_bench_online_commands(CLI::App& app, CommandAction& action) {
  CLI::App* bench = bench_group(app);
  auto o = std::make_shared<OnlineBenchOptions>();
  o->history.ops = 10'000'000;
  o->history.keys = 8;
  o->history.ops_per_key = 300;
  o->history.processes = 50;
  o->history.info_fraction = 0.01;
  o->history.distinct_values = true;
  auto* cmd = bench->add_subcommand(
      "online", "Replay a generated register history through the online checker; print its lag");
  cmd->add_option("--ops", o->history.ops, "Client operations")->check(CLI::PositiveNumber);
  cmd->add_option("--rate", o->rate, "Operations per second")->check(CLI::PositiveNumber);
  cmd->add_option("--keys", o->history.keys, "Keys in use at a time (a group)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--ops-per-key", o->history.ops_per_key, "Operations per key before moving on")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--processes", o->history.processes, "Concurrent clients")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--info", o->history.info_fraction, "Share of unknown outcomes")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--seed", o->history.seed, "Random seed");
  cmd->callback([o, &action] { action = [o] { return run_bench_online(*o); }; });
}

}  // namespace faultline
