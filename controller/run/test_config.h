#pragma once
// TestConfig: everything `faultline test` (and `demo`) needs to run a test, as given on the
// command line; validate() turns it into a TestPlan or throws UsageError with one clear line,
// before anything touches a node.

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/store.h"
#include "nemesis/explicit_schedule.h"
#include "nemesis/fault.h"
#include "remote/node_options.h"
#include "workloads/workload.h"

namespace faultline {

struct TestConfig {
  std::string db = "etcd";  // a built-in store, or the test file's store's name
  // The store a test file describes (controller/test_file.h); null: the built-in store `db`.
  std::shared_ptr<const adapters::StoreDescriptor> store_descriptor;
  std::string workload = "register";
  std::string nemesis = "none";  // "none", or kinds: "partition,kill", "all"
  // --schedule: a schedule.json to apply exactly instead of random faults (nemesis,
  // nemesis_interval_s and grudge then have no effect; docs/shrinking.md). Empty: none.
  std::string schedule_file;
  // The test file the options came from (--test-file), recorded for `replay`. Empty: none.
  std::string test_file;
  double nemesis_interval_s = 10;  // a fault starts every other interval, lasts one
  std::string grudge;              // partition shape (nemesis/grudge.h); empty: random
  remote::NodeOptions nodes;       // default: the local cluster `nodes.cluster`
  int cluster_size = 5;            // nodes of a local cluster this run brings up
  std::string concurrency = "2n";  // N, or Kn = K per node
  double rate = 0;                 // total ops/s; 0 = unlimited
  double time_limit_s = 60;
  std::optional<std::uint64_t> seed;  // default: drawn at random, recorded in test.json
  std::string store = "store";
  std::string read_consistency = "linearizable";  // or "serializable"
  // Adapter knobs by name (redis: read-from, wait), passed to DatabaseOptions::settings.
  std::map<std::string, std::string> db_settings;
  int test_count = 1;
  std::string name;                   // default: <db>-<workload>[-<nemesis>][-serializable]
  int op_timeout_ms = 2'000;          // per client request
  double recovery_timeout_s = 30;     // after healing, wait this long for a healthy cluster
  double convergence_timeout_s = 30;  // register: final reads until nodes agree, at most this
  double check_time_limit_s = 0;      // linearizability search; 0 = none
  bool stop_on_invalid = false;       // the online check's first proof ends the client phase
  WorkloadOptions workload_options;   // keys, shares, accounts...
};

// A validated configuration.
struct TestPlan {
  nemesis::FaultOptions fault_options;  // from --grudge
  TestConfig config;
  std::vector<nemesis::FaultKind> faults;  // empty: no nemesis
  // --schedule's faults (explicit mode); nullopt: random faults of `faults`, if any.
  std::optional<nemesis::FaultSchedule> schedule;
  bool linearizable_reads = true;
  std::uint64_t seed = 0;
  std::string test_name;
};

// The store `config` tests: its test file's, else the built-in one named db. Throws
// UsageError for an unknown db.
const adapters::StoreDescriptor& store_of(const TestConfig& config);

// Checks everything that needs no node: db, workload, nemesis kinds, read consistency,
// numbers in range. Throws UsageError.
TestPlan validate(const TestConfig& config);

// The number of client workers for `nodes` nodes ("6" -> 6, "3n" -> 3 * nodes). Throws
// UsageError.
std::size_t parse_concurrency(const std::string& text, std::size_t nodes);

// test.json's "config" object.
boost::json::object config_json(const TestPlan& plan);

}  // namespace faultline
