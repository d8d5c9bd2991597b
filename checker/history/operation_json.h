#pragma once
// Building an Operation from a JSON object: shared by the JSONL reader and every
// reader that first turns its record into JSON (EDN, Porcupine kv).

#include <string>

#include "checker/history/operation.h"

namespace faultline {

// Takes the fields of `obj` (index, type, process, f, value, time, key, node, error;
// the rest into `extra`). `process` is an integer or "nemesis"; `type` and `f` are
// strings. Throws InputError(file, line, 1, ...) naming the offending field.
Operation operation_from_json(boost::json::object&& obj, const std::string& file, std::size_t line);

}  // namespace faultline
