// Names of the local cluster's devices and namespaces. Interface names are at most 15 bytes,
// so devices carry a hash of the cluster name rather than the name itself; the bridge's alias
// records the full name so that `down` never removes another cluster's bridge.

#include <cstdint>
#include <cstdio>

#include "remote/errors.h"
#include "remote/local_cluster.h"

namespace faultline::remote {
namespace {

std::string name_hash(const std::string& name) {
  std::uint32_t hash = 2166136261u;  // FNV-1a
  for (unsigned char c : name) {
    hash ^= c;
    hash *= 16777619u;
  }
  char text[9];
  std::snprintf(text, sizeof text, "%08x", hash);
  return text;
}

}  // namespace

void validate_cluster_name(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 32 &&
            ((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= '0' && name[0] <= '9'));
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok) {
    throw ConfigError("invalid cluster name '" + name +
                      "': use 1-32 lower-case letters, digits or '-', starting with a letter or "
                      "digit");
  }
}

std::string cluster_bridge_name(const std::string& name) {
  return "fl" + name_hash(name) + "b";
}

std::string cluster_veth_name(const std::string& name, int index) {
  return "fl" + name_hash(name) + "v" + std::to_string(index);
}

std::string cluster_netns_name(const std::string& name, int index) {
  return "fl-" + name + "-n" + std::to_string(index);
}

}  // namespace faultline::remote
