#pragma once
// Fault periods: what the nemesis did and when, read from its operations in the
// history (process "nemesis"). A fault of kind K runs from the invocation of
// `start-K` (or Jepsen's bare `start`, kind "fault") to the completion of the
// matching `stop-K`; one never stopped lasts to the end of the history. Any other
// nemesis operation is an instant event. Nemesis records whose f mentions "clock" give
// the measured clock offsets over time (ms, the node's faked clock minus the controller's):
// plain {"n1": 1.5, ...} or {"offsets": {...}}, per-node measurements {"n1":
// {"system_offset_ms", "faketime_offset_ms"}} (the `clock-offsets` samples), and
// start-clock's "nodes" / stop-clock's "reset" {node: {"before": m, "after": m}}.

#include <boost/json/object.hpp>

#include "checker/history/history.h"
#include "checker/history/pairing.h"
#include "reports/op_table.h"

namespace faultline {

// {"periods": [{kind, start, end, open, value}], "events": [{time, type, f, value}],
//  "clock": [{time, node, offset}]} with times in the table's unit.
boost::json::object fault_periods(const History& history, const PairedHistory& paired,
                                  const OpTable& table);

}  // namespace faultline
