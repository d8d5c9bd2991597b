#pragma once
// A store described by a test file (docs/test-files.md) instead of C++: its lifecycle is shell
// text run on each node over SSH, its client is a program of any language speaking
// docs/client-protocol.md on stdin/stdout. The test-file parser (controller/) fills ScriptStore;
// this folder turns it into a Database whose clients are such processes.
//
// Every value that varies (node names, addresses, the run id, setting values) reaches the
// node as environment data, never spliced into command text: see script_database.cpp.

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "adapters/db.h"
#include "remote/node_set.h"

namespace faultline::adapters {

struct ScriptStore {  // one store described by a test file (docs/test-files.md)
  std::string name;
  std::filesystem::path base_dir;  // the test file's folder; relative client paths resolve here
  std::string install, start, stop, wipe, healthy,
      primaries;                       // shell text run on each node; empty = not given
  std::string pid_file, process_name;  // pid_file may name ${FAULTLINE_NODE} etc.
  std::string version;                 // optional shell text printing the store's version
  std::vector<std::string> logs;       // may name ${FAULTLINE_*}
  bool honours_faketime = false;
  std::chrono::seconds healthy_timeout{20};
  std::vector<std::string> client_command;  // argv of the client (docs/client-protocol.md)
  std::vector<std::string> workloads;       // what the client speaks
  std::map<std::string, std::vector<std::string>> settings;  // name -> allowed values
};

// Throws DatabaseError (one line) when the client program cannot be started; called before any
// node is touched.
void check_client_startable(const ScriptStore& store);

// `nodes` must outlive the result. options.settings are the settings in force.
std::unique_ptr<Database> make_script_database(const ScriptStore& store, remote::NodeSet& nodes,
                                               const DatabaseOptions& options);

}  // namespace faultline::adapters
