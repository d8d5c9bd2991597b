// PostgreSQL's store descriptor (adapters/store.h).

#include <string>

#include "adapters/postgres/postgres_db.h"
#include "adapters/store.h"

namespace faultline::adapters {

StoreDescriptor postgres_store() {
  StoreDescriptor d;
  d.name = "postgres";
  d.settings = {
      {"read-from",
       {"primary", "standby"},
       "standby: reads go to a hot standby",
       [](const std::string& v) -> std::size_t { return v == "standby" ? 2 : 1; }},
      {"synchronous-commit",
       {"off", "local", "on", "remote_apply"},
       "on, remote_apply: every standby is synchronous",
       [](const std::string& v) -> std::size_t {
         return v == "on" || v == "remote_apply" ? 2 : 1;
       }},
      {"isolation",
       {"serializable", "repeatable-read", "read-committed"},
       "transactional workloads are judged against the model it promises",
       {}},
      {"replicas", {}, "standbys (default: every other node)", {}},
  };
  d.workloads = {"bank", "list-append", "register", "rw-register"};
  d.honours_faketime = true;  // every postmaster runs under libfaketime
  d.promised_consistency_model = &PostgresDatabase::promised_consistency_model;
  d.make = [](remote::NodeSet& nodes, const DatabaseOptions& options) {
    return std::make_unique<PostgresDatabase>(nodes, options);
  };
  return d;
}

}  // namespace faultline::adapters
