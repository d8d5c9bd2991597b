#include "adapters/store.h"

#include <algorithm>

#include "adapters/script/script_store.h"

namespace faultline::adapters {

// The built-in stores' descriptors, each beside its adapter (adapters/<db>/<db>_store.cpp).
StoreDescriptor etcd_store();
StoreDescriptor mariadb_store();
StoreDescriptor postgres_store();
StoreDescriptor redis_store();

const std::vector<StoreDescriptor>& builtin_stores() {
  static const std::vector<StoreDescriptor> stores = {
      etcd_store(),
      mariadb_store(),
      postgres_store(),
      redis_store(),
  };
  return stores;
}

const StoreDescriptor* find_builtin_store(const std::string& name) {
  for (const StoreDescriptor& s : builtin_stores()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string builtin_store_names() {
  std::string out;
  for (const StoreDescriptor& s : builtin_stores()) out += (out.empty() ? "" : ", ") + s.name;
  return out;
}

StoreDescriptor describe_script_store(const ScriptStore& store) {
  StoreDescriptor d;
  d.name = store.name;
  for (const auto& [name, values] : store.settings) {
    d.settings.push_back({name, values, "default " + (values.empty() ? "" : values.front()), {}});
  }
  d.workloads = store.workloads;
  d.honours_faketime = store.honours_faketime;
  d.faketime_note = "its test file does not set honours_faketime = true";
  d.make = [store](remote::NodeSet& nodes, const DatabaseOptions& options) {
    return make_script_database(store, nodes, options);
  };
  return d;
}

const StoreSetting* StoreDescriptor::setting(const std::string& setting_name) const {
  for (const StoreSetting& s : settings) {
    if (s.name == setting_name) return &s;
  }
  return nullptr;
}

std::string StoreDescriptor::value_problem(const StoreSetting& setting, const std::string& value) {
  if (setting.values.empty()) {
    bool digits =
        !value.empty() && value.size() <= 3 &&
        std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
    return digits ? "" : "expected a count";
  }
  if (std::find(setting.values.begin(), setting.values.end(), value) != setting.values.end())
    return "";
  std::string expected;
  for (const auto& v : setting.values) expected += (expected.empty() ? "" : " or ") + v;
  return "cannot be '" + value + "' (expected " + expected + ")";
}

std::string StoreDescriptor::values_text(const StoreSetting& setting) {
  if (setting.values.empty()) return "N";
  std::string out;
  for (const auto& v : setting.values) out += (out.empty() ? "" : "|") + v;
  return out;
}

std::string StoreDescriptor::settings_help() const {
  std::string out;
  for (const StoreSetting& s : settings) {
    out += (out.empty() ? "" : "; ") + s.name + "=" + values_text(s);
    if (!s.help.empty()) out += " (" + s.help + ")";
  }
  return out;
}

}  // namespace faultline::adapters
