#include "controller/run/mode_text.h"

namespace faultline {

std::string mode_text(const TestConfig& config) {
  // A built-in store with a read-consistency setting (etcd) keeps it in TestConfig's own field;
  // a test-file store's setting of that name is one of its db_settings.
  std::string out = !config.store_descriptor && store_of(config).setting("read-consistency")
                        ? "read-consistency=" + config.read_consistency
                        : "";
  for (const auto& [name, value] : config.db_settings)
    out += (out.empty() ? "" : "+") + name + "=" + value;
  return out;
}

}  // namespace faultline
