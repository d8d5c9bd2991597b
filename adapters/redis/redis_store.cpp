// Redis's store descriptor (adapters/store.h).

#include <string>

#include "adapters/redis/redis_db.h"
#include "adapters/store.h"

namespace faultline::adapters {

StoreDescriptor redis_store() {
  StoreDescriptor d;
  d.name = "redis";
  d.settings = {
      {"read-from",
       {"primary", "replica"},
       "replica: reads go to a replica, possibly stale",
       [](const std::string& v) -> std::size_t { return v == "replica" ? 2 : 1; }},
      {"wait",
       {},
       "after each write, WAIT for N replicas",
       [](const std::string& v) -> std::size_t { return std::stoul(v) + 1; }},
      {"failover",
       {"none", "sentinel"},
       "sentinel: Redis Sentinel promotes a replica",
       // a majority of sentinels without the primary
       [](const std::string& v) -> std::size_t { return v == "sentinel" ? 3 : 1; }},
  };
  d.workloads = {"counter", "register", "set"};
  d.honours_faketime = false;
  d.faketime_note = "Debian's redis-server hangs at start under libfaketime";
  d.make = [](remote::NodeSet& nodes, const DatabaseOptions& options) {
    return std::make_unique<RedisDatabase>(nodes, options);
  };
  return d;
}

}  // namespace faultline::adapters
