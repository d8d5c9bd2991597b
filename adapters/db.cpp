#include "adapters/db.h"

#include "adapters/etcd/etcd_db.h"
#include "adapters/redis/redis_db.h"

namespace faultline::adapters {

std::vector<std::string> database_names() { return {"etcd", "redis"}; }

std::unique_ptr<Database> make_database(const std::string& name, remote::NodeSet& nodes,
                                        const DatabaseOptions& options) {
  if (name == "etcd") return std::make_unique<EtcdDatabase>(nodes, options);
  if (name == "redis") return std::make_unique<RedisDatabase>(nodes, options);
  throw std::invalid_argument("unknown database '" + name + "' (known: etcd, redis)");
}

}  // namespace faultline::adapters
