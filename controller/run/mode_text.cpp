#include "controller/run/mode_text.h"

namespace faultline {

std::string mode_text(const TestConfig& config) {
  std::string out = config.db == "etcd" ? "read-consistency=" + config.read_consistency : "";
  for (const auto& [name, value] : config.db_settings)
    out += (out.empty() ? "" : "+") + name + "=" + value;
  return out;
}

}  // namespace faultline
