// Pairing and splitting a large history in parallel (chunks of operations on several
// threads) gives exactly what the serial versions give.

#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <map>

#include "checker/history/input_error.h"
#include "checker/history/pairing.h"
#include "checker/lin/parallel_pairing.h"
#include "checker/lin/partition.h"
#include "controller/bench/gen/register_history.h"

namespace faultline {
namespace {

TEST(LinPartition, ParallelSplitEqualsSerialSplit) {
  RegisterHistoryOptions o;
  o.ops = 150000;  // several chunks
  o.keys = 300;
  o.processes = 20;
  History h = generate_register_history(o);
  // Mixed key kinds: strings and an unsigned integer equal to a signed one.
  for (Operation& op : h.ops) {
    if (op.key && op.key->as_int64() % 3 == 0)
      op.key = "k" + std::to_string(op.key->as_int64());
    else if (op.key && op.key->as_int64() % 3 == 1)
      op.key = static_cast<std::uint64_t>(op.key->as_int64());
  }
  const PairedHistory paired = pair_operations(h);
  const auto serial = split_partitions(h, paired, true, false);
  std::vector<PartitionInput> parallel;
  tbb::task_arena(2).execute([&] { parallel = split_partitions(h, paired, true, true); });
  ASSERT_EQ(serial.size(), 300u);
  ASSERT_EQ(parallel.size(), serial.size());
  std::size_t total = 0;
  for (std::size_t k = 0; k < serial.size(); ++k) {
    EXPECT_EQ(parallel[k].key, serial[k].key);
    EXPECT_EQ(parallel[k].paired, serial[k].paired);
    total += serial[k].paired.size();
  }
  EXPECT_EQ(total, paired.ops.size());  // the generator makes no fails
  // First appearance: the first op of each partition comes after the previous one's.
  for (std::size_t k = 1; k < serial.size(); ++k) {
    EXPECT_LT(serial[k - 1].paired.front(), serial[k].paired.front());
  }
  const auto whole = split_partitions(h, paired, false, true);
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_FALSE(whole[0].key.has_value());
}

void expect_same(const PairedHistory& a, const PairedHistory& b) {
  ASSERT_EQ(a.ops.size(), b.ops.size());
  for (std::size_t i = 0; i < a.ops.size(); ++i) {
    EXPECT_EQ(a.ops[i].invoke, b.ops[i].invoke) << i;
    EXPECT_EQ(a.ops[i].completion, b.ops[i].completion) << i;
    EXPECT_EQ(a.ops[i].outcome, b.ops[i].outcome) << i;
    EXPECT_EQ(a.ops[i].process, b.ops[i].process) << i;
  }
  EXPECT_EQ(a.nemesis, b.nemesis);
  EXPECT_EQ(a.reused_after_info, b.reused_after_info);
}

PairedHistory in_parallel(const History& h, std::size_t chunk) {
  PairedHistory out;
  tbb::task_arena(2).execute([&] { out = pair_operations_in_parallel(h, chunk); });
  return out;
}

TEST(LinPartition, ParallelPairingEqualsSerialPairing) {
  RegisterHistoryOptions o;
  o.ops = 20000;
  o.processes = 15;
  o.info_fraction = 0.2;
  const History generated = generate_register_history(o);
  // Nemesis operations in between, and processes reused after `info` (as hand-written
  // histories do): a new process id takes the id of one retired earlier.
  History h{generated.source, generated.format, {}};
  std::map<std::int64_t, std::int64_t> renamed;
  std::vector<std::int64_t> retired;
  for (std::size_t i = 0; i < generated.ops.size(); ++i) {
    if (i % 97 == 0) {
      Operation nemesis;
      nemesis.type = i % 194 == 0 ? OpType::kInvoke : OpType::kInfo;
      nemesis.process = kNemesisProcess;
      nemesis.f = "start-partition";
      h.ops.push_back(nemesis);
    }
    Operation op = generated.ops[i];
    auto [it, fresh] = renamed.try_emplace(op.process, op.process);
    if (fresh && !retired.empty()) {
      it->second = retired.back();
      retired.pop_back();
    }
    op.process = it->second;
    if (op.type == OpType::kInfo) retired.push_back(op.process);
    h.ops.push_back(std::move(op));
  }
  const PairedHistory serial = pair_operations(h);
  EXPECT_GT(serial.reused_after_info, 100u);
  EXPECT_GT(serial.nemesis.size(), 100u);
  for (std::size_t chunk : {7, 1000, 1 << 16}) expect_same(in_parallel(h, chunk), serial);
}

TEST(LinPartition, ParallelPairingReportsTheSameError) {
  RegisterHistoryOptions o;
  o.ops = 5000;
  o.processes = 10;
  History h = generate_register_history(o);
  // A completion far into the history that its process never invoked.
  Operation stray = h.ops[7000];
  stray.type = OpType::kOk;
  stray.process = 12345;
  h.ops.insert(h.ops.begin() + 7000, stray);
  std::string serial, parallel;
  try {
    pair_operations(h);
  } catch (const InputError& e) {
    serial = e.what();
  }
  try {
    in_parallel(h, 500);
  } catch (const InputError& e) {
    parallel = e.what();
  }
  EXPECT_FALSE(serial.empty());
  EXPECT_EQ(parallel, serial);
}

}  // namespace
}  // namespace faultline
