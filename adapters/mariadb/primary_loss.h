#pragma once
// PrimaryLossJudge: has an asynchronous (or semi-synchronous) MariaDB primary been lost, as
// an operator's failover script judges it -- from the replicas' side (MHA's secondary check,
// orchestrator's "DeadMaster": the replicas agree they cannot see it), not from the
// monitoring host's own path to the primary, which a partition between the nodes leaves
// intact.
//
// The rule, fed one observation of every replica per poll:
//   - a replica *has* the primary when its I/O thread is connected (Slave_IO_Running=Yes) and
//     its received position (Gtid_IO_Pos) moved since the previous poll, or has caught up
//     with the primary's own position (gtid_binlog_pos; only when the primary answers the
//     monitor). A connected I/O thread whose position stands still while the primary's
//     advances receives nothing: the connection is cut, and Slave_IO_Running says so only
//     after slave_net_timeout.
//   - a replica has *lost* the primary when it answers the monitor and has not had the
//     primary for `lost_after`. A replica that does not answer has no say.
//   - the primary is lost when more than half of all its replicas (those not answering
//     included) have lost it: with two replicas, both.
// A replica first seen (or every replica after reset(), a new primary) starts as having it.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace faultline::adapters {

// The sequence number of domain 0 in a GTID position ("0-2-150,1-1-3" -> 150); -1 if none.
long long gtid_domain0_seq(const std::string& position);

struct ReplicaObservation {
  std::string node;
  bool answered = false;    // SHOW SLAVE STATUS answered with a row
  bool io_running = false;  // Slave_IO_Running=Yes
  long long received = -1;  // Gtid_IO_Pos: domain 0's sequence number, -1 if none
  std::string position;     // Gtid_IO_Pos as the replica gave it
};

// The replica with the highest received position among those that answered (the first of
// equals); nullopt when none answered.
std::optional<std::size_t> most_advanced_replica(const std::vector<ReplicaObservation>& replicas);

class PrimaryLossJudge {
 public:
  using Clock = std::chrono::steady_clock;

  struct Judgement {
    bool primary_lost = false;
    std::vector<std::string> lost_by;  // the replicas that have lost it, in observation order
  };

  explicit PrimaryLossJudge(std::chrono::milliseconds lost_after) : lost_after_(lost_after) {}

  // `primary_position`: the primary's own domain-0 sequence number, -1 when it did not answer.
  Judgement observe(Clock::time_point now, long long primary_position,
                    const std::vector<ReplicaObservation>& replicas);
  // A new primary: every replica starts again as having it, at its next observation.
  void reset() { seen_.clear(); }

 private:
  struct Seen {
    long long received = -1;
    Clock::time_point had;  // last poll at which the replica had the primary
  };
  std::chrono::milliseconds lost_after_;
  std::map<std::string, Seen> seen_;
};

}  // namespace faultline::adapters
