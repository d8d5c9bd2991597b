#include "adapters/mariadb/primary_loss.h"

namespace faultline::adapters {

long long gtid_domain0_seq(const std::string& position) {
  std::size_t at = 0;
  while (at < position.size()) {
    std::size_t end = position.find(',', at);
    std::string gtid = position.substr(at, end == std::string::npos ? end : end - at);
    while (!gtid.empty() && (gtid.front() == ' ' || gtid.front() == '\n')) gtid.erase(0, 1);
    if (gtid.rfind("0-", 0) == 0) {
      try {
        return std::stoll(gtid.substr(gtid.rfind('-') + 1));
      } catch (const std::exception&) {
        return -1;
      }
    }
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return -1;
}

std::optional<std::size_t> most_advanced_replica(const std::vector<ReplicaObservation>& replicas) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < replicas.size(); ++i) {
    if (!replicas[i].answered) continue;
    if (!best || replicas[i].received > replicas[*best].received) best = i;
  }
  return best;
}

PrimaryLossJudge::Judgement PrimaryLossJudge::observe(
    Clock::time_point now, long long primary_position,
    const std::vector<ReplicaObservation>& replicas) {
  Judgement out;
  for (const auto& r : replicas) {
    auto [it, first] = seen_.try_emplace(r.node, Seen{r.received, now});
    Seen& seen = it->second;
    if (!r.answered) continue;
    const bool moved = r.received != seen.received;
    const bool caught_up = primary_position >= 0 && r.received >= primary_position;
    seen.received = r.received;
    if (first || (r.io_running && (moved || caught_up))) {
      seen.had = now;
    } else if (now - seen.had >= lost_after_) {
      out.lost_by.push_back(r.node);
    }
  }
  out.primary_lost = !replicas.empty() && out.lost_by.size() * 2 > replicas.size();
  return out;
}

}  // namespace faultline::adapters
