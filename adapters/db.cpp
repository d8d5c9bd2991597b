#include "adapters/db.h"

#include "adapters/store.h"

namespace faultline::adapters {

// The built-in stores by name, through their descriptors (adapters/store.h).

std::vector<std::string> database_names() {
  std::vector<std::string> out;
  for (const StoreDescriptor& s : builtin_stores()) out.push_back(s.name);
  return out;
}

std::string promised_consistency_model(const std::string& name,
                                       const std::map<std::string, std::string>& settings) {
  const StoreDescriptor* store = find_builtin_store(name);
  if (!store || !store->promised_consistency_model) return {};
  return store->promised_consistency_model(settings);
}

std::unique_ptr<Database> make_database(const std::string& name, remote::NodeSet& nodes,
                                        const DatabaseOptions& options) {
  const StoreDescriptor* store = find_builtin_store(name);
  if (!store) {
    throw std::invalid_argument("unknown database '" + name + "' (known: " + builtin_store_names() +
                                ")");
  }
  return store->make(nodes, options);
}

}  // namespace faultline::adapters
