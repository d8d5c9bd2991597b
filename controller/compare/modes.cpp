#include "controller/compare/modes.h"

#include <algorithm>

#include "controller/errors.h"

namespace faultline {
namespace {

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(sep, start);
    out.push_back(text.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

std::vector<std::string> options_of(const adapters::StoreDescriptor& store) {
  std::vector<std::string> out;
  for (const auto& o : store.settings) out.push_back(o.name);
  return out;
}

// Throws UsageError (message prefixed by `what`) unless `store` has setting `name` and
// `value` is one it accepts.
const adapters::StoreSetting& check_setting(const adapters::StoreDescriptor& store,
                                            const std::string& name, const std::string& value,
                                            const std::string& what) {
  const adapters::StoreSetting* option = store.setting(name);
  if (!option) {
    std::vector<std::string> known = options_of(store);
    throw UsageError(
        what + store.name + " has no option '" + name + "'" +
        (known.empty() ? std::string(" (it has none)") : " (it has: " + join(known, ", ") + ")"));
  }
  std::string problem = adapters::StoreDescriptor::value_problem(*option, value);
  if (problem.empty()) return *option;
  if (option->values.empty()) throw UsageError(what + name + "=" + value + ": " + problem);
  throw UsageError(what + store.name + " " + name + " " + problem);
}

// etcd's read-consistency is TestConfig's own field (the --read-consistency option); a
// test-file store's setting of that name is a setting like any other.
bool is_read_consistency_field(const TestConfig& config, const std::string& name) {
  return name == "read-consistency" && !config.store_descriptor;
}

}  // namespace

std::vector<Mode> parse_modes(const std::string& db, const std::string& text) {
  const adapters::StoreDescriptor* store = adapters::find_builtin_store(db);
  if (!store) {
    throw UsageError("unknown --db '" + db + "' (known: " + adapters::builtin_store_names() + ")");
  }
  return parse_modes(*store, text);
}

std::vector<Mode> parse_modes(const adapters::StoreDescriptor& store, const std::string& text) {
  if (store.settings.empty()) {
    throw UsageError("--db " + store.name + " has no consistency modes to compare");
  }
  std::vector<Mode> modes;
  for (const std::string& item : split(text, ',')) {
    if (item.empty()) throw UsageError("--modes '" + text + "': empty mode");
    Mode mode;
    mode.text = item;
    for (const std::string& setting : split(item, '+')) {
      std::size_t eq = setting.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == setting.size()) {
        throw UsageError("--modes: '" + setting + "' is not option=value");
      }
      std::string name = setting.substr(0, eq), value = setting.substr(eq + 1);
      const adapters::StoreSetting& option = check_setting(store, name, value, "--modes: ");
      if (mode.options.count(name))
        throw UsageError("--modes: '" + item + "' sets " + name + " twice");
      mode.options[name] = value;
      if (option.nodes_needed)
        mode.nodes_needed = std::max(mode.nodes_needed, option.nodes_needed(value));
    }
    modes.push_back(std::move(mode));
  }
  return modes;
}

std::string builtin_settings_help() {
  std::string out;
  for (const adapters::StoreDescriptor& store : adapters::builtin_stores()) {
    if (store.settings.empty()) continue;
    std::string line;
    for (const adapters::StoreSetting& s : store.settings)
      line += (line.empty() ? "" : ", ") + s.name + "=" + adapters::StoreDescriptor::values_text(s);
    out += (out.empty() ? "" : "; ") + store.name + ": " + line;
  }
  return out;
}

std::string builtin_workloads_help() {
  std::string out;
  for (const adapters::StoreDescriptor& store : adapters::builtin_stores())
    out += (out.empty() ? "" : "; ") + store.name + ": " + join(store.workloads, ", ");
  return out;
}

void check_modes_fit(const std::vector<Mode>& modes, std::size_t nodes) {
  for (const Mode& m : modes) {
    if (m.nodes_needed > nodes) {
      throw UsageError("--modes: '" + m.text + "' needs " + std::to_string(m.nodes_needed - 1) +
                       " replica" + (m.nodes_needed == 2 ? "" : "s") + ", but the cluster has " +
                       std::to_string(nodes) + " node" + (nodes == 1 ? "" : "s"));
    }
  }
}

TestConfig apply_mode(const TestConfig& base, const Mode& mode) {
  TestConfig c = base;
  for (const auto& [name, value] : mode.options) {
    if (is_read_consistency_field(c, name)) {
      c.read_consistency = value;
    } else {
      c.db_settings[name] = value;
    }
  }
  std::string label;
  for (char ch : mode.text) {
    bool plain = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    label += plain ? ch : (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : '-';
  }
  c.name =
      (base.name.empty() ? "compare-" + base.db + "-" + base.workload : base.name) + "-" + label;
  return c;
}

}  // namespace faultline

namespace faultline {

void apply_db_settings(TestConfig& config, const std::vector<std::string>& settings) {
  for (const std::string& setting : settings) {
    std::size_t eq = setting.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == setting.size()) {
      throw UsageError("--db-setting: '" + setting + "' is not option=value");
    }
    std::string name = setting.substr(0, eq), value = setting.substr(eq + 1);
    check_setting(store_of(config), name, value, "--db-setting: ");
    if (is_read_consistency_field(config, name)) {
      config.read_consistency = value;
    } else {
      config.db_settings[name] = value;
    }
  }
}

}  // namespace faultline
