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

OperationBuilder::OperationBuilder(Operation& op, const std::string& file, std::size_t line)
    : op_(op), file_(file), line_(line) {
  op_.line = operation_line(line);
  op_.process_assigned = true;  // until a "process" field says otherwise
}

void OperationBuilder::fail(const std::string& problem) const {
  throw InputError(file_, line_, 1, problem);
}

void OperationBuilder::field(std::string_view name, boost::json::value&& v) {
  if (name == "type") {
    if (!v.is_string()) fail("\"type\" must be a string, got " + describe(v));
    auto parsed_type = parse_op_type(v.get_string());
    if (!parsed_type) fail("\"type\" must be invoke, ok, fail or info, got " + describe(v));
    op_.type = *parsed_type;
    has_type_ = true;
  } else if (name == "process") {
    if (v.is_null()) return;  // as if absent
    op_.process_assigned = false;
    if (v.is_int64()) {
      op_.process = v.get_int64();
      if (op_.process < 0) fail("\"process\" must not be negative");
    } else if (v.is_uint64()) {
      fail("\"process\" is too large");
    } else if (v.is_string() && v.get_string() == "nemesis") {
      op_.process = kNemesisProcess;
    } else {
      fail("\"process\" must be an integer or \"nemesis\", got " + describe(v));
    }
  } else if (name == "f") {
    if (v.is_null()) return;
    if (!v.is_string()) fail("\"f\" must be a string, got " + describe(v));
    op_.f = Name(std::string_view(v.get_string()));
  } else if (name == "index") {
    if (v.is_null()) return;
    if (!v.is_int64() || v.get_int64() < 0) {
      fail("\"index\" must be a non-negative integer, got " + describe(v));
    }
    op_.index = v.get_int64();
  } else if (name == "time") {
    if (v.is_null()) return;
    if (!v.is_int64() || v.get_int64() < 0) {
      fail("\"time\" must be a non-negative integer (ns), got " + describe(v));
    }
    op_.time = v.get_int64();
  } else if (name == "node") {
    if (v.is_null()) return;
    if (!v.is_string()) fail("\"node\" must be a string, got " + describe(v));
    op_.node = Name(std::string_view(v.get_string()));
  } else if (name == "value") {
    op_.value = std::move(v);
  } else if (name == "key") {
    op_.key = std::move(v);
  } else if (name == "error") {
    op_.error = std::move(v);
  } else {
    op_.extra[name] = std::move(v);
  }
}

void OperationBuilder::finish() {
  if (!has_type_) fail("operation has no \"type\"");
}

Operation operation_from_json(boost::json::object&& obj, const std::string& file,
                              std::size_t line) {
  Operation op;
  OperationBuilder builder(op, file, line);
  // "type" first, so that its problem is named before any other field's, as before.
  if (auto* type = obj.if_contains("type")) builder.field("type", std::move(*type));
  builder.finish();
  for (auto& [k, v] : obj) {
    if (k != "type") builder.field(k, std::move(v));
  }
  return op;
}

}  // namespace faultline
