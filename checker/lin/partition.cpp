#include "checker/lin/partition.h"

#include <unordered_map>

#include "checker/history/input_error.h"
#include "checker/lin/keyed_model.h"

namespace faultline {

std::vector<PartitionInput> split_partitions(const History& history, const PairedHistory& paired,
                                             bool by_key) {
  std::vector<PartitionInput> parts;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < paired.ops.size(); ++i) {
    const PairedOp& p = paired.ops[i];
    if (p.outcome == OpType::kFail) continue;
    const Operation& op = history.ops[p.invoke];
    std::string name;
    if (by_key && op.key) name = boost::json::serialize(*op.key);
    auto [it, inserted] = index.try_emplace(name, parts.size());
    if (inserted) {
      parts.emplace_back();
      if (by_key && op.key) parts.back().key = *op.key;
    }
    parts[it->second].paired.push_back(i);
  }
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
      auto [it, inserted] = last_of_kind.try_emplace(signatures[i], static_cast<int>(out.ops.size()));
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
