#pragma once
// The options of `faultline test`, shared with `faultline test-all` (cmd_test_all.cpp), which
// runs a matrix of such tests: one definition of the options, their help and how a test file
// and the command line combine into a TestConfig.

#include <cstdint>
#include <string>
#include <vector>

#include "controller/run/test_config.h"
#include "controller/test_file.h"
#include "remote/cli_fwd.h"

namespace faultline {

struct TestCli {
  TestConfig config;
  std::uint64_t seed = 0;
  double read_share = -1;
  std::vector<std::string> db_settings;  // --db-setting NAME=VALUE, in order
  std::string isolation;                 // --isolation: the db setting isolation=...
  std::string failover;                  // --failover: the db setting failover=...
};

// Every option of `test` except --test-file, bound to `o`.
void add_test_options(CLI::App& cmd, TestCli& o);

// Reads the test file `path` and fills the options the command line left unset from it.
// Throws TestFileError (exit 64), InputMissing (66), UnavailableError when its client cannot
// start (69).
TestFile read_test_file_options(const std::string& path, CLI::App& cmd);

// The configuration `o` (after parsing, and the test file's options if `file`) describes:
// the file's store, --seed, --read-share, the db settings checked against the store. Throws
// UsageError.
TestConfig test_config_of(const TestCli& o, const CLI::App& cmd, const TestFile* file);

}  // namespace faultline
