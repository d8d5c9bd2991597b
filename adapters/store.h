#pragma once
// StoreDescriptor: everything faultline knows about one store, whoever wrote it. A built-in
// adapter (adapters/<db>/<db>_store.cpp) and a test file (docs/test-files.md, through
// adapters/script/) both produce one; the controller validates `--db-setting` and
// `compare --modes`, writes its help text, picks the consistency model transactional
// workloads are judged against, and makes the Database, from it alone. The nemesis learns
// where processes live and whether clocks can be faked from the Database it makes.
//
// Adding a built-in store is one folder and one line in builtin_stores() (store.cpp).

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/db.h"

namespace faultline::adapters {

// One setting of a store ("read-from", "wait"): what DatabaseOptions::settings may carry.
struct StoreSetting {
  std::string name;
  std::vector<std::string> values;  // the values it accepts; empty: a count 0..999
  std::string help;                 // one phrase for --help ("reads go to a replica")
  // Nodes a value needs (replicas it reads from or waits for, plus the primary); unset: 1.
  std::function<std::size_t(const std::string& value)> nodes_needed;
};

struct StoreDescriptor {
  std::string name;                    // as --db names it
  std::vector<StoreSetting> settings;  // in the order help lists them
  std::vector<std::string> workloads;  // workloads its client speaks
  // False when its processes ignore libfaketime (clock faults then need the system clock);
  // faketime_note says why, for messages.
  bool honours_faketime = false;
  std::string faketime_note;
  // The transactional consistency model (checker/txn's names) it promises with `settings`;
  // unset: none (or it has no transactions).
  std::function<std::string(const std::map<std::string, std::string>& settings)>
      promised_consistency_model;
  // The lifecycle: makes the Database on `nodes` (which must outlive it). Throws
  // DatabaseError for settings it cannot honour on these nodes.
  std::function<std::unique_ptr<Database>(remote::NodeSet& nodes, const DatabaseOptions& options)>
      make;

  // The setting named `name`, or nullptr.
  const StoreSetting* setting(const std::string& name) const;
  // "" when `value` is one `setting` accepts, else why not ("cannot be 'x' (expected a or b)",
  // "expected a count").
  static std::string value_problem(const StoreSetting& setting, const std::string& value);
  // The setting's values as help shows them: "primary|replica", or "N".
  static std::string values_text(const StoreSetting& setting);
  // One line per setting for --help: "read-from=primary|replica (reads go to ...)".
  std::string settings_help() const;
};

struct ScriptStore;  // adapters/script/script_store.h
// The descriptor of a store a test file describes: its settings (no count settings; each
// value listed), its client's workloads, and a factory making the script Database.
StoreDescriptor describe_script_store(const ScriptStore& store);

// The stores faultline ships, one line each in store.cpp.
const std::vector<StoreDescriptor>& builtin_stores();
// The built-in store named `name`, or nullptr.
const StoreDescriptor* find_builtin_store(const std::string& name);
// "etcd, postgres, redis": the built-in names, for help and messages.
std::string builtin_store_names();

}  // namespace faultline::adapters
