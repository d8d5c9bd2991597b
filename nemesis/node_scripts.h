#pragma once
// Shell fragments shared by the faults' node-side scripts. Every script runs as
// `sh -c SCRIPT sh STATE_DIR ARGS...`; it begins with kScriptPrelude, which takes the state
// directory off the arguments (so the fault's own arguments are $1, $2, ...) and defines:
//   mark KIND JSON   write the marker of KIND
//   unmark KIND      empty it (an empty marker means "not applied")
// Both are shell builtins only: every fork costs milliseconds on a busy node, and a partition
// must reach all nodes within 50 ms. Values only ever reach the shell as arguments, never
// pasted into the script text.

#include <string_view>

namespace faultline::nemesis {

inline constexpr std::string_view kScriptPrelude = R"SH(set -e
d=$1; shift
[ -d "$d/active" ] || mkdir -p "$d/active"
mark() { printf '%s\n' "$2" > "$d/active/$1.json"; }
unmark() { if [ -s "$d/active/$1.json" ]; then : > "$d/active/$1.json"; fi; }
)SH";

}  // namespace faultline::nemesis
