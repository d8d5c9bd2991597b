#pragma once
// A local cluster of a test's own: `faultline cluster up` under a name unique to the test
// process, and a temporary store. Bringing it down also removes what runs leave behind on
// the machine (every database's node directories, nemesis state) and the store, so a test
// cleans up whatever happened in between. Needs root and FAULTLINE_BINARY.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/run/subprocess.h"

namespace faultline::testing {

struct LocalCluster {
  std::string name;             // "<prefix>-<pid>"
  std::filesystem::path store;  // <tmp>/faultline-<name>
};

// Names the cluster and runs `faultline cluster up`; its outcome (exit code 0: up).
inline Outcome cluster_up(const std::string& prefix, int nodes, LocalCluster& cluster) {
  cluster.name = prefix + "-" + std::to_string(::getpid() % 100000);
  cluster.store = std::filesystem::temp_directory_path() / ("faultline-" + cluster.name);
  return run({FAULTLINE_BINARY, "cluster", "up", "--name", cluster.name, "--nodes",
              std::to_string(nodes)});
}

// `faultline cluster down` and the removal of everything the cluster's runs left; nothing if
// the cluster was never named. Errors are ignored: this runs whatever state a test left.
inline void cluster_down(const LocalCluster& cluster) {
  if (cluster.name.empty()) return;
  run({FAULTLINE_BINARY, "cluster", "down", "--name", cluster.name});
  std::error_code ec;
  for (const char* db : {"etcd", "mariadb", "postgres", "redis"})
    std::filesystem::remove_all(std::filesystem::path("/var/lib/faultline") / db / cluster.name,
                                ec);
  std::filesystem::remove_all("/run/faultline/nemesis/" + cluster.name, ec);
  std::filesystem::remove_all(cluster.store, ec);
}

// A fixture whose tests each bring up their own cluster (start_cluster, usually in SetUp),
// torn down after each test; cluster_ and store_ name it.
class LocalClusterTest : public ::testing::Test {
 protected:
  // Fails the test (fatally) if the cluster does not come up.
  void start_cluster(const std::string& prefix, int nodes) {
    Outcome up = cluster_up(prefix, nodes, local_);
    cluster_ = local_.name;
    store_ = local_.store;
    ASSERT_EQ(up.exit_code, 0) << up.out << up.err;
  }
  void TearDown() override { cluster_down(local_); }

  std::string cluster_;
  std::filesystem::path store_;

 private:
  LocalCluster local_;
};

}  // namespace faultline::testing
