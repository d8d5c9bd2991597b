#pragma once
// The memory a check may use when the user set no --memory-limit: the least of 4 GiB, half
// of RAM, what the process's address-space limit (RLIMIT_AS, `prlimit --as`) leaves and
// what its cgroup v2 `memory.max` leaves (containers, CI runners), less the history already
// parsed. Every checker sizes its caches from it, and answers "unknown (memory)" when it
// is spent, rather than being killed or failing an allocation.

#include <cstddef>
#include <string>

namespace faultline {

struct MemoryLimit {
  std::size_t bytes = 0;
  std::string source;  // what bound it: "4 GiB cap", "RAM/2", "RLIMIT_AS", "cgroup memory.max"
};

// The default limit for a check over a history holding `history_bytes`
// (history_memory_bytes()). Never below 16 MiB, so that small checks still run.
MemoryLimit default_memory_limit(std::size_t history_bytes);

// The cgroup v2 `memory.max` of this process and its current usage, read from
// /proc/self/cgroup and /sys/fs/cgroup/<path>/; false when there is none ("max", cgroup v1,
// no such files). `root` replaces "/sys/fs/cgroup" and `self_cgroup` "/proc/self/cgroup"
// (tests).
bool cgroup_memory_max(std::size_t& max, std::size_t& current,
                       const std::string& self_cgroup = "/proc/self/cgroup",
                       const std::string& root = "/sys/fs/cgroup");

}  // namespace faultline
