// etcd's store descriptor (adapters/store.h).

#include "adapters/etcd/etcd_db.h"
#include "adapters/store.h"

namespace faultline::adapters {

StoreDescriptor etcd_store() {
  StoreDescriptor d;
  d.name = "etcd";
  d.settings = {{"read-consistency",
                 {"linearizable", "serializable"},
                 "serializable: a member answers reads locally, possibly stale",
                 {}}};
  d.workloads = {"bank", "register", "set"};
  d.honours_faketime = false;
  d.faketime_note = "etcd reads time through the vDSO, which libfaketime cannot reach";
  d.make = [](remote::NodeSet& nodes, const DatabaseOptions& options) {
    return std::make_unique<EtcdDatabase>(nodes, options);
  };
  return d;
}

}  // namespace faultline::adapters
