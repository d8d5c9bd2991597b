#pragma once
// Escaping for every place a value from a history, a database or a results file
// lands in a report: HTML text and attributes, JSON inside <script>, XML (JUnit).

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace faultline {

// & < > " ' escaped: safe in HTML text and in double- or single-quoted attributes.
std::string html_escape(std::string_view text);

// XML 1.0 text/attribute escaping; control characters XML cannot carry become U+FFFD
// and invalid UTF-8 bytes too, so the document always parses.
std::string xml_escape(std::string_view text);

// `value` serialized as JSON that is inert inside <script type="application/json">:
// `<`, `>`, `&`, U+2028 and U+2029 are written as \uXXXX escapes, so no `</script>`
// or `<!--` can appear in the output.
std::string script_safe_json(const boost::json::value& value);

}  // namespace faultline
