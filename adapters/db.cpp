#include "adapters/db.h"

#include "adapters/etcd/etcd_db.h"
#include "adapters/postgres/postgres_db.h"
#include "adapters/redis/redis_db.h"

namespace faultline::adapters {

std::vector<std::string> database_names() { return {"etcd", "postgres", "redis"}; }

std::string promised_consistency_model(const std::string& name,
                                       const std::map<std::string, std::string>& settings) {
  if (name == "postgres") return PostgresDatabase::promised_consistency_model(settings);
  return {};
}

std::unique_ptr<Database> make_database(const std::string& name, remote::NodeSet& nodes,
                                        const DatabaseOptions& options) {
  if (name == "etcd") return std::make_unique<EtcdDatabase>(nodes, options);
  if (name == "redis") return std::make_unique<RedisDatabase>(nodes, options);
  if (name == "postgres") return std::make_unique<PostgresDatabase>(nodes, options);
  throw std::invalid_argument("unknown database '" + name + "' (known: etcd, postgres, redis)");
}

}  // namespace faultline::adapters
