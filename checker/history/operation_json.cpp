#include "checker/history/operation_json.h"

#include "checker/history/input_error.h"

namespace faultline {
namespace {

std::string describe(const boost::json::value& v) {
  std::string text = boost::json::serialize(v);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

}  // namespace

Operation operation_from_json(boost::json::object&& obj, const std::string& file,
                              std::size_t line) {
  auto fail = [&](const std::string& problem) -> InputError {
    return InputError(file, line, 1, problem);
  };
  Operation op;
  op.line = line;

  const auto* type = obj.if_contains("type");
  if (type == nullptr) throw fail("operation has no \"type\"");
  if (!type->is_string()) throw fail("\"type\" must be a string, got " + describe(*type));
  auto parsed_type = parse_op_type(type->get_string());
  if (!parsed_type) {
    throw fail("\"type\" must be invoke, ok, fail or info, got " + describe(*type));
  }
  op.type = *parsed_type;

  const auto* process = obj.if_contains("process");
  if (process == nullptr) throw fail("operation has no \"process\"");
  if (process->is_int64()) {
    op.process = process->get_int64();
    if (op.process < 0) throw fail("\"process\" must not be negative");
  } else if (process->is_uint64()) {
    throw fail("\"process\" is too large");
  } else if (process->is_string() && process->get_string() == "nemesis") {
    op.process = kNemesisProcess;
  } else {
    throw fail("\"process\" must be an integer or \"nemesis\", got " + describe(*process));
  }

  const auto* f = obj.if_contains("f");
  if (f == nullptr) throw fail("operation has no \"f\"");
  if (!f->is_string()) throw fail("\"f\" must be a string, got " + describe(*f));
  op.f = f->get_string();

  if (const auto* index = obj.if_contains("index"); index != nullptr && !index->is_null()) {
    if (!index->is_int64() || index->get_int64() < 0) {
      throw fail("\"index\" must be a non-negative integer, got " + describe(*index));
    }
    op.index = index->get_int64();
  }
  if (const auto* time = obj.if_contains("time"); time != nullptr && !time->is_null()) {
    if (!time->is_int64() || time->get_int64() < 0) {
      throw fail("\"time\" must be a non-negative integer (ns), got " + describe(*time));
    }
    op.time = time->get_int64();
  }
  if (const auto* node = obj.if_contains("node"); node != nullptr && !node->is_null()) {
    if (!node->is_string()) throw fail("\"node\" must be a string, got " + describe(*node));
    op.node = std::string(node->get_string());
  }

  for (auto& [k, v] : obj) {
    if (k == "type" || k == "process" || k == "f" || k == "index" || k == "time" || k == "node") {
      continue;
    }
    if (k == "value") {
      op.value = std::move(v);
    } else if (k == "key") {
      op.key = std::move(v);
    } else if (k == "error") {
      op.error = std::move(v);
    } else {
      op.extra[k] = std::move(v);
    }
  }
  return op;
}

}  // namespace faultline
