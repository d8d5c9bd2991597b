#pragma once
// Reading the values data-type checkers (set, counter) take from operations, with an
// InputError naming the history's file and line when a value is not what it must be; and the
// short text of a value that explanations quote.

#include <boost/json.hpp>
#include <cstdint>
#include <string>

#include "checker/history/history.h"
#include "checker/history/operation.h"

namespace faultline {

// `v` as a signed 64-bit integer; otherwise throws InputError at op's line:
// "<what> must be an integer, got <v>".
std::int64_t integer_value(const boost::json::value& v, const History& history, const Operation& op,
                           const char* what);

// The new value of a cas `[old, new]`; throws InputError at op's line when op.value is not
// such a pair.
const boost::json::value& cas_new_value(const History& history, const Operation& op);

// Whether a workload marked this invocation as a final read ("final": true), made after
// the faults have healed.
bool marked_final(const Operation& invoke);

// Short text of a JSON value for explanations: EDN-like, `nil` for null, strings quoted.
std::string value_text(const boost::json::value& value);

}  // namespace faultline
