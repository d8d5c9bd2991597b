#include "checker/history/memory_limit.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace faultline {
namespace {

constexpr std::size_t kCap = std::size_t{4096} << 20;
constexpr std::size_t kFloor = std::size_t{16} << 20;

// Bytes of address space this process maps now (/proc/self/statm, first field), 0 if unknown.
std::size_t mapped_bytes() {
  std::ifstream in("/proc/self/statm");
  std::size_t pages = 0;
  if (!(in >> pages)) return 0;
  return pages * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

bool read_number(const std::string& path, std::size_t& out) {
  std::ifstream in(path);
  std::string word;
  if (!(in >> word) || word == "max") return false;
  try {
    out = std::stoull(word);
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

}  // namespace

bool cgroup_memory_max(std::size_t& max, std::size_t& current, const std::string& self_cgroup,
                       const std::string& root) {
  std::ifstream in(self_cgroup);
  std::string line, path;
  while (std::getline(in, line)) {
    if (line.rfind("0::", 0) == 0) path = line.substr(3);  // the v2 hierarchy
  }
  if (path.empty()) return false;
  // The tightest limit on the way from this cgroup up to the root.
  bool found = false;
  for (std::string dir = path;; dir = dir.substr(0, dir.rfind('/'))) {
    std::size_t m = 0;
    if (read_number(root + dir + "/memory.max", m) && (!found || m < max)) {
      max = m;
      current = 0;
      read_number(root + dir + "/memory.current", current);
      found = true;
    }
    if (dir.empty() || dir == "/") break;
  }
  return found;
}

MemoryLimit default_memory_limit(std::size_t history_bytes) {
  MemoryLimit limit{kCap, "4 GiB cap"};
  auto bound = [&](std::size_t bytes, const char* source) {
    if (bytes < limit.bytes) limit = MemoryLimit{bytes, source};
  };
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0) {
    bound(static_cast<std::size_t>(pages) * static_cast<std::size_t>(page) / 2, "RAM/2");
  }
  // Address space: caches cost about twice their counted bytes in mappings (allocator
  // slack, thread arenas and stacks), so half of what is left.
  rlimit as{};
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
    const std::size_t cur = static_cast<std::size_t>(as.rlim_cur), used = mapped_bytes();
    bound(cur > used ? (cur - used) / 2 : 0, "RLIMIT_AS");
  }
  std::size_t max = 0, current = 0;
  if (cgroup_memory_max(max, current)) {
    bound(max > current ? (max - current) / 2 : 0, "cgroup memory.max");
  }
  // The parsed history is already counted in `used`/`current`; RAM/2 and the cap are not.
  if (limit.source == std::string("RAM/2") || limit.source == std::string("4 GiB cap")) {
    limit.bytes = limit.bytes > history_bytes ? limit.bytes - history_bytes : 0;
  }
  limit.bytes = std::max(limit.bytes, kFloor);
  return limit;
}

}  // namespace faultline
