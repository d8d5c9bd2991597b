#include "checker/history/op_values.h"

#include "checker/history/input_error.h"

namespace faultline {

std::int64_t integer_value(const boost::json::value& v, const History& history, const Operation& op,
                           const char* what) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.get_uint64());
  }
  throw InputError(history.source, op.line, 1,
                   std::string(what) + " must be an integer, got " + boost::json::serialize(v));
}

const boost::json::value& cas_new_value(const History& history, const Operation& op) {
  const auto* pair = op.value.if_array();
  if (!pair || pair->size() != 2) {
    throw InputError(history.source, op.line, 1,
                     "a cas value must be [old, new], got " + boost::json::serialize(op.value));
  }
  return (*pair)[1];
}

bool marked_final(const Operation& invoke) {
  const auto* flag = invoke.extra.if_contains("final");
  return flag && flag->is_bool() && flag->get_bool();
}

std::string value_text(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "nil";
    case boost::json::kind::array: {
      std::string out = "[";
      bool first = true;
      for (const auto& e : value.get_array()) {
        out += (first ? "" : " ") + value_text(e);
        first = false;
      }
      return out + "]";
    }
    default:
      return boost::json::serialize(value);
  }
}

}  // namespace faultline
