#pragma once
// Building an Operation from JSON fields: shared by the JSONL reader (field by field, as
// it parses) and every reader that first turns its record into a JSON object (EDN,
// Porcupine kv).

#include <string>
#include <string_view>

#include "checker/history/operation.h"

namespace faultline {

// Takes the fields of one operation: index, type, process, f, value, time, key, node,
// error; the rest go into `extra`. `type` is required; `process` is an integer or
// "nemesis", and when absent (or null) the operation is marked process_assigned
// (read_history gives it one); `f` is a string, "" when absent. Every problem throws
// InputError(file, line, 1, ...) naming the offending field.
class OperationBuilder {
 public:
  OperationBuilder(Operation& op, const std::string& file, std::size_t line);
  void field(std::string_view name, boost::json::value&& value);
  // Checks that the required fields came; throws InputError otherwise.
  void finish();

 private:
  [[noreturn]] void fail(const std::string& problem) const;
  Operation& op_;
  const std::string& file_;
  std::size_t line_;
  bool has_type_ = false;
};

// The same over a whole object (its keys are unique by construction).
Operation operation_from_json(boost::json::object&& obj, const std::string& file, std::size_t line);

}  // namespace faultline
