#pragma once
// Jepsen's `independent` histories written without tags: every client operation's value
// is a plain `[key value]` pair (Clojure MapEntry, as older Jepsen versions printed
// jepsen.independent tuples). Such a pair cannot be told from an ordinary 2-element
// value (`:cas [3 1]`), so splitting is never guessed: the user asks for it
// (`--independent`). Tagged `#jepsen.independent.Tuple` values are split by the EDN reader
// itself. docs/history-format.md.

#include "checker/history/history.h"

namespace faultline {

// Turns the `[k v]` value of every client operation without a key into key k and value
// v. Nemesis operations are left alone. Throws InputError naming the line of the first
// client operation whose value is not a 2-element array.
void split_independent_pairs(History& history);

}  // namespace faultline
