#pragma once
// One Jepsen operation map read from EDN: shared by the EDN history reader and the
// Porcupine kv reader.

#include "checker/history/edn.h"
#include "checker/history/operation.h"

namespace faultline {

// The tag Jepsen prints for `jepsen.independent/tuple` values.
inline constexpr std::string_view kIndependentTupleTag = "jepsen.independent.Tuple";

// Reads the next form, which must be a map (optionally tagged, as Jepsen's
// `#jepsen.history.Op{...}` records are), and builds its Operation (operation_from_json).
// A `:value` tagged #jepsen.independent.Tuple{:key k :value v} becomes key k and value v.
// Operation::line is the line where the map opens. Throws InputError. `out` is replaced
// whole (it is filled in place: the common one-line map takes the fast path, fast_record.h).
void read_edn_operation(EdnReader& edn, Operation& out);

}  // namespace faultline
