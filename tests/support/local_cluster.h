#pragma once
// The local cluster of a test of its own: every integration test brings up its own cluster
// (network namespaces with sshd, remote/local_cluster.h) under a name unique to the test
// process, and removes it, and what runs left on the machine, whatever the test did.
//
//   unique_cluster_name   "rt-<tag>-<pid>": tests in parallel and a user's own cluster never
//                         meet, and `scripts/test` removes any "rt-" cluster a killed test left
//   ScopedCluster         in-process (remote::cluster_up): up in the constructor, down in the
//                         destructor (nemesis, remote and adapter tests)
//   LocalClusterTest      through the faultline binary (`faultline cluster up`), one cluster
//                         per test and a temporary store (tests of the command line)
// Needs root. The binary's flavour needs FAULTLINE_BINARY (tests/CMakeLists.txt defines it).

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "remote/local_cluster.h"
#include "tests/support/subprocess.h"

namespace faultline::testing {

// "rt-<tag>-<pid % 100000>", a valid cluster name for tags of up to 22 characters.
inline std::string unique_cluster_name(const std::string& tag) {
  return "rt-" + tag + "-" + std::to_string(::getpid() % 100000);
}

// Removes what runs on cluster `name` leave on the machine besides the cluster: every
// database's node directories and the nemesis' state. Errors are ignored (it runs whatever
// state a test left).
inline void remove_cluster_leftovers(const std::string& name) {
  std::error_code ec;
  for (const char* db : {"etcd", "mariadb", "postgres", "redis"})
    std::filesystem::remove_all(std::filesystem::path("/var/lib/faultline") / db / name, ec);
  std::filesystem::remove_all("/run/faultline/nemesis/" + name, ec);
}

// A cluster for the lifetime of the object; a failure to take it down fails the test.
class ScopedCluster {
 public:
  ScopedCluster(std::string name, int nodes) : name_(std::move(name)) {
    file_ = remote::cluster_up({name_, nodes, {}});
  }
  ~ScopedCluster() {
    try {
      remote::cluster_down(name_);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "cluster_down(" << name_ << "): " << e.what();
    }
    remove_cluster_leftovers(name_);
  }
  ScopedCluster(const ScopedCluster&) = delete;
  ScopedCluster& operator=(const ScopedCluster&) = delete;

  const std::string& name() const { return name_; }
  const remote::NodesFile& file() const { return file_; }
  const std::vector<remote::Node>& nodes() const { return file_.nodes; }

 private:
  std::string name_;
  remote::NodesFile file_;
};

struct LocalCluster {
  std::string name;             // unique_cluster_name(tag)
  std::filesystem::path store;  // <tmp>/faultline-<name>
};

// Names the cluster and runs `faultline cluster up`; its outcome (exit code 0: up).
inline Outcome cluster_up(const std::string& tag, int nodes, LocalCluster& cluster) {
  cluster.name = unique_cluster_name(tag);
  cluster.store = std::filesystem::temp_directory_path() / ("faultline-" + cluster.name);
  return run({FAULTLINE_BINARY, "cluster", "up", "--name", cluster.name, "--nodes",
              std::to_string(nodes)});
}

// `faultline cluster down`, the leftovers and the store; nothing if the cluster was never
// named. Errors are ignored: this runs whatever state a test left.
inline void cluster_down(const LocalCluster& cluster) {
  if (cluster.name.empty()) return;
  run({FAULTLINE_BINARY, "cluster", "down", "--name", cluster.name});
  remove_cluster_leftovers(cluster.name);
  std::error_code ec;
  std::filesystem::remove_all(cluster.store, ec);
}

// A fixture whose tests each bring up their own cluster (start_cluster, usually in SetUp),
// torn down after each test; cluster_ and store_ name it.
class LocalClusterTest : public ::testing::Test {
 protected:
  // Fails the test (fatally) if the cluster does not come up.
  void start_cluster(const std::string& tag, int nodes) {
    Outcome up = cluster_up(tag, nodes, local_);
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
