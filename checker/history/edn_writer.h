#pragma once
// Writing an operation as one line of Jepsen's history.edn: the map Jepsen prints,
// `{:index 0, :type :invoke, :process 3, :f :write, :key 7, :value 1, :time 12}`, which
// the EDN reader (edn.h) reads back into the same Operation. For benchmarks and tests
// that need EDN input; faultline itself records JSONL.

#include <string>

#include "checker/history/operation.h"

namespace faultline {

// Appends the EDN map of `op` without the newline, fields in to_json()'s order. Nothing is
// appended for an inferred invocation (Operation::inferred_invoke), as in JSONL.
void append_edn_line(std::string& out, const Operation& op);

}  // namespace faultline
