#include "checker/lin/parallel_pairing.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <vector>

namespace faultline {
namespace {

// What one chunk did with one process.
struct ProcessTail {
  std::int64_t process = 0;
  std::size_t first = 0;           // history position of its first event in the chunk
  bool completes_earlier = false;  // that event completes an operation invoked before
  OpType first_type = OpType::kInvoke;
  std::optional<std::size_t> open;  // local index of an operation still open at the end
  bool crashed = false;             // an `info` completion in the chunk
  std::size_t invokes_before_crash = 0;
};

struct ChunkPairs {
  std::size_t begin = 0, end = 0;
  std::vector<PairedOp> ops;  // invoked in this chunk, in order
  std::vector<std::size_t> nemesis;
  std::vector<ProcessTail> tails;
  std::size_t reused_after_info = 0;  // counted within the chunk
  bool anomaly = false;               // a protocol violation seen within the chunk
};

void pair_chunk(const History& history, ChunkPairs& chunk) {
  std::unordered_map<std::int64_t, std::size_t> tail_of;
  chunk.ops.reserve((chunk.end - chunk.begin) / 2 + 1);
  for (std::size_t i = chunk.begin; i < chunk.end && !chunk.anomaly; ++i) {
    const Operation& op = history.ops[i];
    if (op.is_nemesis()) {
      chunk.nemesis.push_back(i);
      continue;
    }
    auto [it, first] = tail_of.try_emplace(op.process, chunk.tails.size());
    if (first) chunk.tails.push_back({op.process, i, false, op.type, std::nullopt, false, 0});
    ProcessTail& t = chunk.tails[it->second];
    if (op.is_invoke()) {
      if (t.open) {
        chunk.anomaly = true;
        break;
      }
      if (t.crashed)
        ++chunk.reused_after_info;
      else
        ++t.invokes_before_crash;
      t.open = chunk.ops.size();
      chunk.ops.push_back(PairedOp{i, std::nullopt, OpType::kInfo, op.process});
      continue;
    }
    if (t.open) {
      chunk.ops[*t.open].completion = i;
      chunk.ops[*t.open].outcome = op.type;
      t.open.reset();
    } else if (first) {
      t.completes_earlier = true;
    } else {
      chunk.anomaly = true;
      break;
    }
    if (op.type == OpType::kInfo) t.crashed = true;
  }
}

}  // namespace

PairedHistory pair_operations_in_parallel(const History& history, std::size_t chunk_ops) {
  const std::size_t n = history.ops.size();
  const std::size_t count = (n + chunk_ops - 1) / chunk_ops;
  if (count < 2) return pair_operations(history);
  std::vector<ChunkPairs> chunks(count);
  tbb::parallel_for(std::size_t{0}, count, [&](std::size_t c) {
    chunks[c].begin = c * chunk_ops;
    chunks[c].end = std::min(n, (c + 1) * chunk_ops);
    pair_chunk(history, chunks[c]);
  });
  std::vector<std::size_t> base(count + 1, 0);
  for (std::size_t c = 0; c < count; ++c) {
    if (chunks[c].anomaly) return pair_operations(history);  // throws, naming the line
    base[c + 1] = base[c] + chunks[c].ops.size();
  }
  PairedHistory paired;
  paired.ops.resize(base[count]);
  tbb::parallel_for(std::size_t{0}, count, [&](std::size_t c) {
    std::copy(chunks[c].ops.begin(), chunks[c].ops.end(), paired.ops.begin() + base[c]);
  });
  // Stitch: per process, what is open at each chunk boundary.
  struct Across {
    std::optional<std::size_t> pending;  // index in paired.ops
    bool crashed = false;
  };
  std::unordered_map<std::int64_t, Across> across;
  for (std::size_t c = 0; c < count; ++c) {
    const ChunkPairs& chunk = chunks[c];
    paired.nemesis.insert(paired.nemesis.end(), chunk.nemesis.begin(), chunk.nemesis.end());
    paired.reused_after_info += chunk.reused_after_info;
    for (const ProcessTail& t : chunk.tails) {
      Across& a = across[t.process];
      if (t.completes_earlier) {
        if (!a.pending) return pair_operations(history);
        paired.ops[*a.pending].completion = t.first;
        paired.ops[*a.pending].outcome = t.first_type;
        a.pending.reset();
      } else if (a.pending) {
        return pair_operations(history);  // invoked while an earlier operation is open
      }
      if (a.crashed) paired.reused_after_info += t.invokes_before_crash;
      a.crashed |= t.crashed;
      if (t.open) a.pending = base[c] + *t.open;
    }
  }
  return paired;
}

}  // namespace faultline
