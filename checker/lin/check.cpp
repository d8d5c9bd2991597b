// check_linearizable: partitions, scheduling (oneTBB), limits and progress.

#include "checker/lin/check.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <numeric>
#include <thread>

#include "checker/history/memory_limit.h"
#include "checker/lin/decide.h"
#include "checker/lin/parallel_pairing.h"
#include "checker/lin/partition.h"

namespace faultline {
namespace {

using Clock = std::chrono::steady_clock;

// Calls on_progress about five times a second until stopped.
class ProgressTicker {
 public:
  ProgressTicker(const CheckOptions& options, std::function<CheckProgress()> snapshot)
      : snapshot_(std::move(snapshot)) {
    if (!options.on_progress) return;
    thread_ = std::thread([this, callback = options.on_progress] {
      std::unique_lock lock(mutex_);
      while (!cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) {
        lock.unlock();
        callback(snapshot_());
        lock.lock();
      }
    });
  }
  ~ProgressTicker() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::function<CheckProgress()> snapshot_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

CheckResult check_linearizable(const History& history, const CheckOptions& options) {
  const auto started = Clock::now();
  const ModelFactory factory = find_model(options.model);
  if (factory == nullptr) throw UnknownModel(options.model);
  const ModelConfig config{options.initial, options.nil_reads};
  try {
    factory(config);  // refuses a bad --initial before any work
  } catch (const ModelInputError& e) {
    throw std::invalid_argument(std::string("--initial: ") + e.what());
  }

  const int threads =
      options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(std::max(threads, 1));
  auto in_arena = [&](auto&& work) {
    if (threads == 1)
      work();
    else
      arena.execute(work);
  };
  PairedHistory paired;
  std::vector<PartitionInput> inputs;
  in_arena([&] {
    paired = threads > 1 ? pair_operations_in_parallel(history) : pair_operations(history);
    inputs = split_partitions(history, paired, options.partition, threads > 1);
  });
  const bool keyed_whole =
      !options.partition &&
      std::any_of(paired.ops.begin(), paired.ops.end(),
                  [&](const PairedOp& p) { return history.ops[p.invoke].key.has_value(); });

  CheckResult result;
  result.model = options.model;
  result.source = history.source;
  result.operations = paired.ops.size();
  result.partitions.resize(inputs.size());

  std::vector<std::size_t> order(inputs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return inputs[a].paired.size() > inputs[b].paired.size();
  });

  MemoryBudget budget(options.memory_limit_mib
                          ? options.memory_limit_mib << 20
                          : default_memory_limit(history_memory_bytes(history)).bytes);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> explored{0};
  std::atomic<std::size_t> done{0};
  const auto deadline = options.time_limit_s > 0
                            ? started + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(options.time_limit_s))
                            : Clock::time_point::max();

  ProgressTicker ticker(options, [&] {
    CheckProgress p;
    p.partitions_total = inputs.size();
    p.partitions_done = done.load();
    p.states_explored = explored.load();
    p.memory_bytes = budget.used();
    p.elapsed_s = std::chrono::duration<double>(Clock::now() - started).count();
    return p;
  });

  const DecideContext context{history, paired, factory,  config,  options,
                              budget,  stop,   explored, deadline};
  auto check_one = [&](std::size_t i) {
    PartitionResult& out = result.partitions[i];
    out.key = inputs[i].key;
    const auto t0 = Clock::now();
    struct Done {
      std::atomic<std::size_t>& done;
      ~Done() { done.fetch_add(1); }
    } count_done{done};
    if (stop.load() && !options.all_keys) {
      out.verdict = Verdict::kUnknown;
      out.reason = "cancelled";
      out.engine = "none";
      return;
    }
    try {
      decide_partition(context, inputs[i], keyed_whole, out);
    } catch (const std::bad_alloc&) {  // past what the budget counts: still an answer
      out = PartitionResult{};
      out.key = inputs[i].key;
      out.verdict = Verdict::kUnknown;
      out.reason = "memory";
      out.engine = "none";
    }
    out.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  };

  if (threads == 1) {  // else in the arena, also for one partition (decide_by_key forks)
    for (std::size_t i : order) check_one(i);
  } else {
    arena.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<std::size_t>(0, order.size(), 1),
          [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t k = r.begin(); k != r.end(); ++k) check_one(order[k]);
          },
          tbb::simple_partitioner());
    });
  }

  bool any_invalid = false, any_unknown = false;
  for (const PartitionResult& p : result.partitions) {
    any_invalid |= p.verdict == Verdict::kInvalid;
    any_unknown |= p.verdict == Verdict::kUnknown;
    result.states_explored += p.states_explored;
  }
  result.verdict = any_invalid   ? Verdict::kInvalid
                   : any_unknown ? Verdict::kUnknown
                                 : Verdict::kValid;
  result.peak_memory_bytes = budget.peak();
  result.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  return result;
}

}  // namespace faultline
