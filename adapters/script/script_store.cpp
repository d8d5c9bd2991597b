#include "adapters/script/script_store.h"

#include "adapters/script/process_client.h"
#include "adapters/script/script_database.h"

namespace faultline::adapters {

void check_client_startable(const ScriptStore& store) {
  try {
    check_program_startable(store.client_command, store.base_dir);
  } catch (const DatabaseError& e) {
    throw DatabaseError(store.name + ": " + e.what());
  }
}

std::unique_ptr<Database> make_script_database(const ScriptStore& store, remote::NodeSet& nodes,
                                               const DatabaseOptions& options) {
  return std::make_unique<ScriptDatabase>(store, nodes, options);
}

}  // namespace faultline::adapters
