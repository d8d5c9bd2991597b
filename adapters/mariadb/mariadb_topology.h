#pragma once
// MariadbTopology: which node is the primary right now, shared by a MariadbDatabase and the
// clients it makes (one process, many threads). Asynchronous and semi-synchronous
// replication start with the first node as the primary; a manual failover (mariadb_monitor.h)
// moves it. Galera has no primary: every node takes writes, and `multi_primary` says so.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/mariadb/mysql_connection.h"

namespace faultline::adapters {

class MariadbTopology {
 public:
  // `nodes` in order (name, host); the first is the initial primary.
  MariadbTopology(std::vector<MysqlEndpoint> nodes, bool multi_primary)
      : nodes_(std::move(nodes)), multi_primary_(multi_primary) {
    if (!nodes_.empty()) primary_ = nodes_.front().node;
  }

  bool multi_primary() const { return multi_primary_; }
  const std::vector<MysqlEndpoint>& nodes() const { return nodes_; }
  const MysqlEndpoint& endpoint(const std::string& node) const {
    for (const auto& e : nodes_) {
      if (e.node == node) return e;
    }
    return nodes_.front();
  }
  std::string primary() const {
    std::lock_guard lock(mutex_);
    return primary_;
  }
  void set_primary(const std::string& node) {
    std::lock_guard lock(mutex_);
    primary_ = node;
  }

 private:
  std::vector<MysqlEndpoint> nodes_;
  bool multi_primary_;
  mutable std::mutex mutex_;
  std::string primary_;
};

}  // namespace faultline::adapters
