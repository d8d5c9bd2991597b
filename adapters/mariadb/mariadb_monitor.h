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
//   failover   (failover=manual) what an operator's failover script would do. Every poll it
//              reads the primary's own position and every replica's SHOW SLAVE STATUS, and
//              PrimaryLossJudge (primary_loss.h) decides from the replicas' side: the primary
//              is lost when more than half of its replicas have not received from it (I/O
//              thread not connected, or its received GTID position standing still while the
//              primary's advances) for kFailoverAfter. Replicas use MASTER_HEARTBEAT_PERIOD=1
//              and slave_net_timeout=3, so an idle cut link also shows within seconds. Then:
//                0. freeze: STOP SLAVE IO_THREAD on every replica, so that none receives more
//                   from the old primary (a heal would reconnect them) while one is promoted;
//                1. fence the old primary when its node can be reached (over SSH, the root
//                   socket): SET GLOBAL read_only=ON, as MHA's and orchestrator's scripts do
//                   -- it is not killed; clients no longer write there;
//                2. promote the replica with the highest received position (Gtid_IO_Pos):
//                   let it apply what it received (MASTER_GTID_WAIT, at most 60 s; what is
//                   still unapplied then is discarded), STOP SLAVE, RESET SLAVE ALL,
//                   read_only=OFF; every client's writes move there;
//                3. point the other replicas at it;
//                4. record `failover` {from, to, gtid (the new primary's gtid_binlog_pos at
//                   promotion), received (its Gtid_IO_Pos when frozen), lost_by,
//                   fenced ("read_only" or "unreachable"), applied (all it received was
//                   applied in time), took_ms (freeze to promotion: no primary takes writes
//                   meanwhile; mostly the new primary's applier catching up), from_gtid and
//                   only_on_old_primary (the old primary's domain-0 sequence number minus the
//                   promoted one: transactions the new primary never had)};
//                5. demote the old primary (once fenced): it replicates the new one from the
//                   promoted position (gtid_slave_pos), slave_exec_mode=IDEMPOTENT, and
//                   `demote` is recorded. What only the old primary had stays on it alone (errant
//                   transactions an operator would discard by rebuilding it): the new primary
//                   never has those writes, and the set and register checkers name them lost.
//              An unreachable old primary is fenced and demoted as soon as its node answers.
//
// The thread starts with the object and stops (joined) with its destruction.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/db.h"
#include "adapters/mariadb/primary_loss.h"

namespace faultline::adapters {

class MariadbDatabase;

class MariadbMonitor {
 public:
  static constexpr std::chrono::milliseconds kPollPeriod{200};
  static constexpr std::chrono::milliseconds kFailoverAfter{3000};
  static constexpr std::chrono::milliseconds kFenceTimeout{5000};  // one fence or demotion

  MariadbMonitor(MariadbDatabase& db, HistoryRecord record, bool semi_sync, bool failover);
  ~MariadbMonitor();
  MariadbMonitor(const MariadbMonitor&) = delete;
  MariadbMonitor& operator=(const MariadbMonitor&) = delete;

 private:
  void run(std::stop_token stop);
  void watch_semi_sync(const std::string& primary);
  void watch_primary(const std::string& primary);
  // SHOW SLAVE STATUS of each of `replicas`, in parallel.
  std::vector<ReplicaObservation> observe_replicas(const std::vector<std::string>& replicas);
  void fail_over(const std::string& from, const std::vector<std::string>& replicas,
                 const std::vector<std::string>& lost_by);
  // SET GLOBAL read_only=ON on `node`; its gtid_binlog_pos, nullopt when it cannot be reached.
  std::optional<std::string> fence(const std::string& node);
  // `node` replicates `primary` from `position`; false (logged) when it cannot be reached.
  bool demote(const std::string& node, const std::string& primary, const std::string& position);
  void record(const std::string& f, boost::json::object value);

  MariadbDatabase& db_;
  HistoryRecord record_;
  bool semi_sync_, failover_;
  struct SemiSyncState {
    bool on = true;
    long long no_tx_while_on = 0;  // Rpl_semi_sync_master_no_tx last read while ON
  };
  std::map<std::string, SemiSyncState> semi_sync_state_;  // per primary (failover changes it)
  PrimaryLossJudge judge_{kFailoverAfter};
  std::string fenced_pending_;  // an old primary not yet fenced and demoted
  std::string promoted_at_;     // the position its successor was promoted at
  std::jthread thread_;         // last: started once the rest is initialised
};

}  // namespace faultline::adapters
