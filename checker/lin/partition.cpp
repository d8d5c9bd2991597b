#include "checker/lin/partition.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "checker/history/input_error.h"
#include "checker/lin/keyed_model.h"

namespace faultline {

namespace {

// Keys told apart by their serialization; integer and string keys (the usual ones) are
// looked up without serializing. An unsigned integer that fits is a signed one.
class KeyIndex {
 public:
  static constexpr std::uint32_t kNew = UINT32_MAX;
  // The id slot of `key` (nullptr: no key), kNew when first seen (the caller sets it).
  std::uint32_t& slot(const boost::json::value* key) {
    if (key == nullptr) return unkeyed_;
    if (key->is_int64()) return by_int_.try_emplace(key->get_int64(), kNew).first->second;
    if (key->is_uint64() && key->get_uint64() <= std::uint64_t{INT64_MAX}) {
      return by_int_.try_emplace(static_cast<std::int64_t>(key->get_uint64()), kNew).first->second;
    }
    if (key->is_string()) {
      const auto& s = key->get_string();
      return by_string_.try_emplace(std::string(s.data(), s.size()), kNew).first->second;
    }
    return by_text_.try_emplace(boost::json::serialize(*key), kNew).first->second;
  }

 private:
  std::unordered_map<std::int64_t, std::uint32_t> by_int_;
  std::unordered_map<std::string, std::uint32_t> by_string_, by_text_;
  std::uint32_t unkeyed_ = kNew;
};

// The keys first seen in one chunk of the operations, in order, and what each op maps to.
struct Chunk {
  std::size_t begin = 0, end = 0;
  std::vector<const boost::json::value*> keys;  // nullptr: no key
  std::vector<std::size_t> counts;              // ops per local key
  std::vector<std::uint32_t> global;            // local key -> partition
  std::vector<std::size_t> next;                // local key -> next free place in its partition
};

constexpr std::size_t kChunkOps = 1 << 15;
constexpr std::uint32_t kSkip = UINT32_MAX;

}  // namespace

// In three passes, the first and last in parallel over chunks of operations when asked:
// local key ids per chunk; global ids in order of first appearance (serial, one step per
// distinct key of each chunk); then every op placed at its precomputed position.
std::vector<PartitionInput> split_partitions(const History& history, const PairedHistory& paired,
                                             bool by_key, bool parallel) {
  const std::size_t n = paired.ops.size();
  std::vector<Chunk> chunks((n + kChunkOps - 1) / kChunkOps);
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    chunks[c].begin = c * kChunkOps;
    chunks[c].end = std::min(n, (c + 1) * kChunkOps);
  }
  std::vector<std::uint32_t> local(n, kSkip);
  auto for_chunks = [&](auto&& body) {
    if (parallel && chunks.size() > 1) {
      tbb::parallel_for(std::size_t{0}, chunks.size(), [&](std::size_t c) { body(chunks[c]); });
    } else {
      for (Chunk& chunk : chunks) body(chunk);
    }
  };
  for_chunks([&](Chunk& chunk) {
    KeyIndex index;
    for (std::size_t i = chunk.begin; i < chunk.end; ++i) {
      const PairedOp& p = paired.ops[i];
      if (p.outcome == OpType::kFail) continue;
      const Operation& op = history.ops[p.invoke];
      const boost::json::value* key = by_key && op.key ? &*op.key : nullptr;
      std::uint32_t& id = index.slot(key);
      if (id == KeyIndex::kNew) {
        id = static_cast<std::uint32_t>(chunk.keys.size());
        chunk.keys.push_back(key);
        chunk.counts.push_back(0);
      }
      local[i] = id;
      ++chunk.counts[id];
    }
  });
  std::vector<PartitionInput> parts;
  std::vector<std::size_t> sizes;
  KeyIndex index;
  for (Chunk& chunk : chunks) {
    chunk.global.resize(chunk.keys.size());
    chunk.next.resize(chunk.keys.size());
    for (std::size_t k = 0; k < chunk.keys.size(); ++k) {
      std::uint32_t& id = index.slot(chunk.keys[k]);
      if (id == KeyIndex::kNew) {
        id = static_cast<std::uint32_t>(parts.size());
        parts.emplace_back();
        if (chunk.keys[k]) parts.back().key = *chunk.keys[k];
        sizes.push_back(0);
      }
      chunk.global[k] = id;
      chunk.next[k] = sizes[id];
      sizes[id] += chunk.counts[k];
    }
  }
  for (std::size_t g = 0; g < parts.size(); ++g) parts[g].paired.resize(sizes[g]);
  for_chunks([&](Chunk& chunk) {
    for (std::size_t i = chunk.begin; i < chunk.end; ++i) {
      if (local[i] == kSkip) continue;
      parts[chunk.global[local[i]]].paired[chunk.next[local[i]]++] = i;
    }
  });
  return parts;
}

CompiledPartition compile_partition(const History& history, const PairedHistory& paired,
                                    const PartitionInput& input, ModelFactory factory,
                                    const ModelConfig& config, bool keyed) {
  CompiledPartition out;
  KeyedModel* keyed_model = nullptr;
  if (keyed) {
    auto model = std::make_unique<KeyedModel>(factory, config);
    keyed_model = model.get();
    out.model = std::move(model);
  } else {
    out.model = factory(config);
  }
  std::vector<SearchOp> ops;
  std::vector<std::string> signatures;  // for unknown ops: what makes two interchangeable
  ops.reserve(input.paired.size());
  for (std::size_t pi : input.paired) {
    const PairedOp& p = paired.ops[pi];
    const Operation& invoke = history.ops[p.invoke];
    const bool known = p.outcome == OpType::kOk;
    const Operation* completion = p.completion ? &history.ops[*p.completion] : nullptr;
    ModelInput in{invoke.f, invoke.value, known ? &completion->value : nullptr};
    int id;
    try {
      id = keyed_model ? keyed_model->add_keyed(invoke.key ? &*invoke.key : nullptr, in)
                       : out.model->add(in);
    } catch (const ModelInputError& e) {
      const Operation& at = completion && known ? *completion : invoke;
      throw InputError(history.source, at.line, 1, e.what());
    }
    if (id == PartitionModel::kDrop) continue;
    SearchOp op;
    op.call = p.invoke;
    op.ret = known ? *p.completion : kNeverReturns;
    op.model_op = id;
    op.read_only = out.model->read_only(id);
    op.blind = out.model->blind(id);
    op.object = out.model->object_of(id);
    op.resets = out.model->resets(id);
    op.paired = pi;
    ops.push_back(op);
    signatures.push_back(known ? std::string()
                               : (invoke.key ? boost::json::serialize(*invoke.key) : "") + '\x1f' +
                                     invoke.f + '\x1f' + boost::json::serialize(invoke.value));
  }
  // Drop unknown operations no one could observe (by model id, which add() numbered densely).
  std::vector<char> droppable(ops.size(), 0);  // ids are dense: one per kept op
  out.model->find_unobservable(droppable);
  std::unordered_map<std::string, int> last_of_kind;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    SearchOp op = ops[i];
    if (!op.known() && droppable[op.model_op]) continue;
    if (!op.known()) {
      auto [it, inserted] =
          last_of_kind.try_emplace(signatures[i], static_cast<int>(out.ops.size()));
      if (!inserted) {
        op.same_as = it->second;
        it->second = static_cast<int>(out.ops.size());
      }
    } else {
      ++out.known;
    }
    out.ops.push_back(op);
  }
  return out;
}

}  // namespace faultline
