#include "controller/compare/modes.h"

#include <algorithm>

#include "controller/errors.h"

namespace faultline {
namespace {

struct StoreOption {
  const char* db;
  const char* name;
  std::vector<std::string> values;  // empty: a count >= 0
};

const std::vector<StoreOption> kStoreOptions = {
    {"etcd", "read-consistency", {"linearizable", "serializable"}},
    {"redis", "read-from", {"primary", "replica"}},
    {"redis", "wait", {}},
    {"redis", "failover", {"none", "sentinel"}},
    {"postgres", "read-from", {"primary", "standby"}},
    {"postgres", "synchronous-commit", {"off", "local", "on", "remote_apply"}},
    {"postgres", "isolation", {"serializable", "repeatable-read", "read-committed"}},
    {"postgres", "replicas", {}},
};

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

std::vector<std::string> options_of(const std::string& db) {
  std::vector<std::string> out;
  for (const auto& o : kStoreOptions) {
    if (db == o.db) out.push_back(o.name);
  }
  return out;
}

// Throws UsageError (message prefixed by `what`) unless `db` has option `name` and `value`
// is one it accepts.
void check_setting(const std::string& db, const std::string& name, const std::string& value,
                   const std::string& what) {
  auto option = std::find_if(kStoreOptions.begin(), kStoreOptions.end(),
                             [&](const StoreOption& o) { return db == o.db && name == o.name; });
  if (option == kStoreOptions.end()) {
    std::vector<std::string> known = options_of(db);
    throw UsageError(what + db + " has no option '" + name + "'" +
                     (known.empty() ? std::string(" (it has none)")
                                    : " (it has: " + join(known, ", ") + ")"));
  }
  if (option->values.empty()) {
    bool digits = !value.empty() && value.size() <= 3 &&
                  std::all_of(value.begin(), value.end(),
                              [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) throw UsageError(what + name + "=" + value + ": expected a count");
  } else if (std::find(option->values.begin(), option->values.end(), value) ==
             option->values.end()) {
    throw UsageError(what + db + " " + name + " cannot be '" + value + "' (expected " +
                     join(option->values, " or ") + ")");
  }
}

}  // namespace

std::vector<Mode> parse_modes(const std::string& db, const std::string& text) {
  std::vector<std::string> known = options_of(db);
  if (known.empty()) throw UsageError("--db " + db + " has no consistency modes to compare");
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
      check_setting(db, name, value, "--modes: ");
      if (mode.options.count(name))
        throw UsageError("--modes: '" + item + "' sets " + name + " twice");
      mode.options[name] = value;
      if (value == "replica" || value == "standby")
        mode.nodes_needed = std::max<std::size_t>(mode.nodes_needed, 2);
      if (name == "wait")
        mode.nodes_needed = std::max<std::size_t>(mode.nodes_needed, std::stoul(value) + 1);
      if (name == "failover" && value == "sentinel")  // a majority of sentinels without the primary
        mode.nodes_needed = std::max<std::size_t>(mode.nodes_needed, 3);
      if (db == "postgres" && name == "synchronous-commit" &&
          (value == "on" || value == "remote_apply")) {
        mode.nodes_needed = std::max<std::size_t>(mode.nodes_needed, 2);
      }
    }
    modes.push_back(std::move(mode));
  }
  return modes;
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
    if (name == "read-consistency") {
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
    check_setting(config.db, name, value, "--db-setting: ");
    if (name == "read-consistency") {
      config.read_consistency = value;
    } else {
      config.db_settings[name] = value;
    }
  }
}

}  // namespace faultline
