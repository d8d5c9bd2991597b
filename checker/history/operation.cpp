#include "checker/history/operation.h"

namespace faultline {

std::string_view to_string(OpType type) {
  switch (type) {
    case OpType::kInvoke:
      return "invoke";
    case OpType::kOk:
      return "ok";
    case OpType::kFail:
      return "fail";
    case OpType::kInfo:
      return "info";
  }
  return "?";
}

std::optional<OpType> parse_op_type(std::string_view text) {
  if (text == "invoke") return OpType::kInvoke;
  if (text == "ok") return OpType::kOk;
  if (text == "fail") return OpType::kFail;
  if (text == "info") return OpType::kInfo;
  return std::nullopt;
}

boost::json::object to_json(const Operation& op) {
  boost::json::object out;
  out.reserve(8 + op.extra.size());
  out["index"] = op.index;
  out["type"] = to_string(op.type);
  if (op.is_nemesis()) {
    out["process"] = "nemesis";
  } else if (!op.process_assigned) {
    out["process"] = op.process;
  }
  if (!op.f.empty()) out["f"] = op.f.view();
  if (op.key) out["key"] = *op.key;
  out["value"] = op.value;
  if (op.time != kNoTime) out["time"] = op.time;
  if (op.node) out["node"] = op.node->view();
  if (op.error) out["error"] = *op.error;
  for (const auto& [k, v] : op.extra) out[k] = v;
  return out;
}

static_assert(sizeof(void*) != 8 || sizeof(Operation) <= 168, "see docs/performance.md");

void reset(Operation& op) {
  op.index = -1;
  op.type = OpType::kInvoke;
  op.process_assigned = false;
  op.inferred_invoke = false;
  op.process = 0;
  op.f = Name();
  if (!op.value.is_null()) op.value.emplace_null();
  op.time = kNoTime;
  op.key.reset();
  op.node.reset();
  op.error.reset();
  if (op.extra.capacity() != 0) op.extra = boost::json::object();
  op.line = 0;
}

}  // namespace faultline
