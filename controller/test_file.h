#pragma once
// Test files (docs/test-files.md): one TOML file that sets a test's options and may describe
// its store without C++.
//
//   time-limit = 20                 # any option of `faultline test`, named as on the command
//   nemesis = "partition,kill"      # line without its dashes; the command line wins
//   name = "my-redis"               # with [db]: the store's name
//   [db]       install, start, stop, wipe, healthy, primaries, version, pid_file, process_name,
//   logs,
//              honours_faketime, healthy_timeout
//   [client]   command, workloads
//   [settings] NAME = [values...]   # the store's modes, the first is the default
//   [matrix]   lists of option values, for `faultline test-all` (controller/cmd_test_all.cpp)
//
// Everything wrong with a file is one TestFileError "FILE:LINE:COL: problem (key)" (exit 64),
// thrown before any node is touched. Paths in the file are relative to its folder.

#include <toml++/toml.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/script/script_store.h"
#include "adapters/store.h"
#include "controller/errors.h"
#include "controller/run/test_config.h"
#include "remote/cli_fwd.h"

namespace faultline {

// A bad test file: "FILE:LINE:COL: problem (key)".
class TestFileError : public UsageError {
 public:
  using UsageError::UsageError;
};

struct TestFile {
  std::filesystem::path path;
  toml::table document;
  // The store the file describes ([db] and [client]); null when it names a built-in one with
  // `db = "etcd"` (or leaves that to the command line).
  std::shared_ptr<const adapters::StoreDescriptor> store;
  std::optional<adapters::ScriptStore> script;  // what `store` was made from

  // "FILE:LINE:COL: problem (key)" at `node`'s position.
  TestFileError error(const toml::source_region& where, const std::string& problem,
                      const std::string& key) const;
};

// Reads and checks `path`: TOML syntax, known tables and keys of [db], [client], [settings],
// their types and required commands. Throws InputMissing (cannot read) or TestFileError.
TestFile load_test_file(const std::filesystem::path& path);

// Sets each option of `command` that the command line did not give from the file's top-level
// key of the same name (time-limit -> --time-limit); db-setting values from the file come
// before the command line's (which win). A key `command` lacks is an error unless it is in
// `ignored` (options of another command, for files shared between commands). Throws
// TestFileError for an unknown key or a value of the wrong type or out of range.
void apply_test_file_options(const TestFile& file, CLI::App& command,
                             const std::set<std::string>& ignored = {});

// Sets option --`key` of `command` to `value` whatever the command line said (a [matrix]
// value). Throws TestFileError.
void set_test_file_option(const TestFile& file, CLI::App& command, const std::string& key,
                          const toml::node& value);

// Points `config` at the file's store (db = its name) when it describes one, and checks the
// workload and db-setting values the file gave against the store: a workload the client
// does not list, a setting or value it does not have. Throws TestFileError.
void use_test_file_store(const TestFile& file, TestConfig& config);

// Refuses a test-file client that cannot start (exit 69, UnavailableError), before any node
// is touched. No-op for built-in stores.
void check_test_file_client(const TestFile& file);

// The option names (without dashes) of `command`, for `ignored` above.
std::set<std::string> option_keys(const CLI::App& command);

}  // namespace faultline
