#pragma once
// Integration tests bring up their own local cluster, named uniquely so that tests running in
// parallel (and a user's own cluster) never meet; ScopedLocalCluster takes it down even when
// the test fails.

#include <unistd.h>

#include <string>

#include "remote/local_cluster.h"

namespace faultline::remote::testing {

// e.g. "rt-12345-sess": unique per process and tag, a valid cluster name.
inline std::string unique_cluster_name(const std::string& tag) {
  return "rt-" + std::to_string(::getpid()) + "-" + tag;
}

}  // namespace faultline::remote::testing
