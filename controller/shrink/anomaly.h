#pragma once
// The anomaly a shrink keeps: a kind of the failing run's results.json, as its trade-off
// summary counts them ("tradeoff": {"anomalies": {kind: count}}, checker/staleness/tradeoff.h):
// "stale reads", "non-linearizable keys", the set's "lost" / "stale" / "unexpected", the
// bank's "wrong_total", the transactional checker's "G2-item", "G-single", "lost-update"...
// A candidate reproduces the run when its results count the same kind.

#include <boost/json.hpp>
#include <map>
#include <string>

namespace faultline {

// kind -> count, only kinds that occurred.
std::map<std::string, double> anomalies_of(const boost::json::object& results);

// The kind to keep: the most specific the run shows (a transactional anomaly, then the data
// types' lost/stale/unexpected/wrong total, then stale reads, then non-linearizable keys,
// then any other); "" when it shows none.
std::string main_anomaly(const boost::json::object& results);

// Whether `results` counts `kind`, and, when `min_staleness_ms` > 0, its stalest read
// (tradeoff.staleness_ms.max) is at least that old: a follower's stale reads under a partition
// are seconds old, a healthy follower's lag a few ms.
bool shows_anomaly(const boost::json::object& results, const std::string& kind,
                   double min_staleness_ms = 0);

// tradeoff.staleness_ms.max; 0 when absent.
double max_staleness_ms(const boost::json::object& results);

// "stale reads 12, non-linearizable keys 3" ("none" without anomalies).
std::string describe_anomalies(const boost::json::object& results);

}  // namespace faultline
