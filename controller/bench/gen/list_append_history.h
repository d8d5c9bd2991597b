#pragma once
// A generator of list-append histories, for benchmarks and tests: concurrent clients
// run transactions of 1-5 micro-ops (appends and reads) over a moving window of keys,
// against a simulated store that applies each transaction atomically when it completes
// (so the history is strict serializable unless anomalies are asked for).

#include <cstddef>
#include <cstdint>

#include "checker/history/history.h"

namespace faultline {

struct ListAppendGenOptions {
  std::size_t txns = 100000;
  int processes = 10;     // concurrent clients
  int active_keys = 100;  // keys in the window at any time
  int min_mops = 1, max_mops = 5;
  int max_writes_per_key = 32;       // a key leaves the window after this many appends
  double read_fraction = 0.5;        // of micro-ops
  double fail_fraction = 0.0;        // txns that abort (`fail`, not applied)
  double info_fraction = 0.0;        // txns whose outcome is unknown (applied or not, at random)
  double stale_read_fraction = 0.0;  // reads that miss the last append (an anomaly)
  std::uint64_t seed = 1;
};

// Operations are indexed and timed (time = position); values are [f, key, value] arrays.
History generate_list_append_history(const ListAppendGenOptions& options);

}  // namespace faultline
