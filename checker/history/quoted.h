#pragma once
// Strings quoted as the JSONL and EDN writers print them. Both notations escape `"`, `\`,
// newline, tab and carriage return alike; JSON also escapes backspace, form feed and every
// other control character (`\u00XX`), which EDN strings hold as they are.

#include <string>
#include <string_view>

namespace faultline {

enum class Notation { kJson, kEdn };

// Appends `text` between double quotes, escaped for `notation`.
void append_quoted(std::string& out, std::string_view text, Notation notation);

}  // namespace faultline
