#pragma once
// MariadbMonitor: watches a primary/replica MariaDB cluster while the clients run, and
// writes what it sees and does into the run's history as nemesis-like info operations
// (process nemesis), so that the checkers and the report can set anomalies beside it.
//
//   semi-sync  every kPollPeriod, Rpl_semi_sync_master_status on the primary: when it turns
//              OFF (MariaDB fell back to asynchronous replication, silently, after
//              rpl_semi_sync_master_timeout without a replica's acknowledgement) it records
//              `semi-sync-fallback`; when it turns ON again, `semi-sync-restored`. Both
//              carry `no_tx` (Rpl_semi_sync_master_no_tx: commits acknowledged without a
//              replica, cumulative), `semi-sync-restored` also `no_tx_during_fallback`; the
//              state is kept per primary.
//   failover   (failover=manual) what an operator's script would do: when the primary has
//              not answered the controller, or no replica's I/O thread has been connected to
//              it, for kFailoverAfter, it promotes the reachable replica with the most advanced
//              GTID position (STOP SLAVE, RESET SLAVE ALL, read_only=OFF), points the other
//              replicas at it, moves every client's writes there and records `failover`
//              {from, to, gtid}. The old primary is fenced as soon as it answers again
//              (read_only=ON, replicating the new one) and `demote` is recorded. What only the
//              old primary had is lost: the set and register checkers name those writes.
//
// The thread starts with the object and stops (joined) with its destruction.

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "adapters/db.h"

namespace faultline::adapters {

class MariadbDatabase;

class MariadbMonitor {
 public:
  static constexpr std::chrono::milliseconds kPollPeriod{200};
  static constexpr std::chrono::milliseconds kFailoverAfter{3000};

  MariadbMonitor(MariadbDatabase& db, HistoryRecord record, bool semi_sync, bool failover);
  ~MariadbMonitor();
  MariadbMonitor(const MariadbMonitor&) = delete;
  MariadbMonitor& operator=(const MariadbMonitor&) = delete;

 private:
  void run(std::stop_token stop);
  void watch_semi_sync(const std::string& primary);
  void watch_primary(const std::string& primary);
  void fail_over(const std::string& from);
  void record(const std::string& f, boost::json::object value);

  MariadbDatabase& db_;
  HistoryRecord record_;
  bool semi_sync_, failover_;
  struct SemiSyncState {
    bool on = true;
    long long no_tx_while_on = 0;  // Rpl_semi_sync_master_no_tx last read while ON
  };
  std::map<std::string, SemiSyncState> semi_sync_state_;  // per primary (failover changes it)
  std::string fenced_pending_;                            // an old primary not yet demoted
  std::chrono::steady_clock::time_point primary_seen_;
  std::jthread thread_;  // last: started once the rest is initialised
};

}  // namespace faultline::adapters
