#pragma once
// Consistency modes of `faultline compare`: "--modes k=v,k=v" names one mode per comma; a
// mode may set several options joined by '+' ("read-from=replica+wait=1"). Each option is
// a setting of the store's descriptor (adapters/store.h: the built-in stores' settings, or a
// test file's [settings]), with one of the values it lists.
// Everything here is checked before anything runs; problems throw UsageError (exit 64).

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "adapters/store.h"
#include "controller/run/mode_text.h"
#include "controller/run/test_config.h"

namespace faultline {

struct Mode {
  std::string text;  // as given, e.g. "read-from=replica"
  std::map<std::string, std::string> options;
  std::size_t nodes_needed = 1;  // replicas the mode reads from or waits for
};

// Parses and validates `text` for `db`. Throws UsageError naming the offending option and
// what the store accepts.
std::vector<Mode> parse_modes(const adapters::StoreDescriptor& store, const std::string& text);
// The same for the built-in store `db`.
std::vector<Mode> parse_modes(const std::string& db, const std::string& text);

// Every built-in store's settings, for --help: "etcd: read-consistency=linearizable|serializable;
// redis: read-from=primary|replica, wait=N, ...".
std::string builtin_settings_help();
// Every built-in store's workloads, for --help: "etcd: bank, register, set; ...".
std::string builtin_workloads_help();

// Throws UsageError when a mode needs more nodes than `nodes` (replicas on a 1-node cluster).
void check_modes_fit(const std::vector<Mode>& modes, std::size_t nodes);

// Applies `faultline test --db-setting NAME=VALUE` options (same table and checks as a
// mode; later ones win) to `config`, whose db is already set. Throws UsageError.
void apply_db_settings(TestConfig& config, const std::vector<std::string>& settings);

// `base` with the mode's options applied (etcd's read-consistency is TestConfig's own field;
// other options go to db_settings) and a test name of its own.
TestConfig apply_mode(const TestConfig& base, const Mode& mode);

}  // namespace faultline
