#pragma once
// The fast path of the JSONL and EDN readers: one single-pass scan of an operation record
// of the common shape, with no tokenizer objects, no per-field std::string and no DOM of
// the record. It takes a strict subset of each notation:
//   a flat map on one line whose keys are plain names (JSON: a string without escapes;
//   EDN: a keyword), whose values are null/nil, true, false, integers of at most 18
//   digits, strings without escapes (ASCII in JSON, valid UTF-8 in EDN), EDN keywords,
//   and vectors (JSON arrays, EDN vectors and lists) of these, nested up to 8 deep;
//   no key twice.
// Anything else (and every malformed record) makes it decline, and the reader parses the
// record again with its full parser, which reads exactly what the fast path reads and is
// the one that reports errors: so the fast path changes no verdict and no message.
// tests/checker/fast_record_test.cpp holds the two paths to identical histories.

#include <boost/json.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "checker/history/operation.h"

namespace faultline {

// Scans one JSONL line (without its newline) into `out`, a default Operation, as
// OperationBuilder would fill it: true when the whole line is one object of the fast shape
// (trailing blanks allowed) whose fields OperationBuilder accepts and which has a "type".
// On false `out` holds a part of the line: reset it before the full parser runs.
bool scan_fast_json_operation(std::string_view line, Operation& out);

// The same for an EDN operation map starting at text[0] == '{' and ending on the same
// line; returns the bytes it spans (through the closing '}'), or 0 to decline.
std::size_t scan_fast_edn_operation(std::string_view text, Operation& out);

// Whether the fast path is used (default yes; FAULTLINE_FAST_READ=0 turns it off, so that
// the full parsers can be measured and compared on the same input).
bool fast_read_enabled();
void set_fast_read_enabled(bool enabled);

}  // namespace faultline
