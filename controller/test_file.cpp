#include "controller/test_file.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "checker/history/input_error.h"
#include "workloads/workload.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

// The tables a test file may have; every other top-level key is an option.
const std::set<std::string> kTables = {"db", "client", "settings", "matrix"};
const std::set<std::string> kDbKeys = {
    "install", "start",    "stop",         "wipe", "healthy",          "primaries",
    "version", "pid_file", "process_name", "logs", "honours_faketime", "healthy_timeout"};
const std::set<std::string> kClientKeys = {"command", "workloads"};

bool plain_name(const std::string& s, bool allow_upper) {
  if (s.empty() || s.size() > 64 || s.front() == '.' || s.front() == '-') return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           (allow_upper && ((c >= 'A' && c <= 'Z') || c == '.'));
  });
}

const char* type_of(const toml::node& n) {
  if (n.is_string()) return "a string";
  if (n.is_integer()) return "an integer";
  if (n.is_floating_point()) return "a number";
  if (n.is_boolean()) return "a boolean";
  if (n.is_array()) return "a list";
  if (n.is_table()) return "a table";
  return "a date or time";
}

class Reader {
 public:
  explicit Reader(const TestFile& file) : file_(file) {}

  std::string string(const toml::node& n, const std::string& key) const {
    if (!n.is_string())
      throw file_.error(n.source(), "expected a string, not " + std::string(type_of(n)), key);
    return n.as_string()->get();
  }
  // A string or an integer, as text (setting values: wait = [0, 1]).
  std::string scalar_text(const toml::node& n, const std::string& key) const {
    if (n.is_integer()) return std::to_string(n.as_integer()->get());
    return string(n, key);
  }
  std::vector<std::string> strings(const toml::node& n, const std::string& key,
                                   bool allow_integers = false) const {
    const toml::array* a = n.as_array();
    if (!a)
      throw file_.error(n.source(), "expected a list of strings, not " + std::string(type_of(n)),
                        key);
    std::vector<std::string> out;
    for (const toml::node& item : *a) {
      out.push_back(allow_integers ? scalar_text(item, key) : string(item, key));
      if (out.back().empty()) throw file_.error(item.source(), "empty string", key);
    }
    return out;
  }
  bool boolean(const toml::node& n, const std::string& key) const {
    if (!n.is_boolean())
      throw file_.error(n.source(), "expected true or false, not " + std::string(type_of(n)), key);
    return n.as_boolean()->get();
  }

 private:
  const TestFile& file_;
};

// Checks a table's keys against `known`; returns its entries by key.
std::map<std::string, const toml::node*> entries(const TestFile& file, const toml::table& table,
                                                 const std::set<std::string>& known,
                                                 const std::string& table_name) {
  std::map<std::string, const toml::node*> out;
  for (auto&& [key, node] : table) {
    std::string k(key.str());
    if (!known.count(k)) {
      std::string list;
      for (const auto& n : known) list += (list.empty() ? "" : ", ") + n;
      throw file.error(key.source(), "unknown key in [" + table_name + "] (known: " + list + ")",
                       k);
    }
    out[k] = &node;
  }
  return out;
}

adapters::ScriptStore read_store(const TestFile& file) {
  const toml::table& doc = file.document;
  Reader read(file);
  adapters::ScriptStore store;
  store.base_dir = fs::absolute(file.path).parent_path();
  store.name = file.path.stem().string();
  if (const toml::node* name = doc.get("name")) {
    store.name = read.string(*name, "name");
    if (!plain_name(store.name, true)) {
      throw file.error(name->source(),
                       "a store's name is letters, digits, '.', '-' and '_' (and not '.' first)",
                       "name");
    }
  }

  const toml::node* db_node = doc.get("db");
  const toml::table* db = db_node->as_table();
  if (!db) throw file.error(db_node->source(), "expected a table [db]", "db");
  auto db_keys = entries(file, *db, kDbKeys, "db");
  for (const char* required : {"start", "wipe", "healthy"}) {
    if (!db_keys.count(required)) {
      throw file.error(db->source(), std::string("[db] has no ") + required + " command", required);
    }
  }
  for (auto& [key, field] :
       std::map<std::string, std::string*>{{"install", &store.install},
                                           {"start", &store.start},
                                           {"stop", &store.stop},
                                           {"wipe", &store.wipe},
                                           {"healthy", &store.healthy},
                                           {"primaries", &store.primaries},
                                           {"version", &store.version},
                                           {"pid_file", &store.pid_file},
                                           {"process_name", &store.process_name}}) {
    auto it = db_keys.find(key);
    if (it == db_keys.end()) continue;
    *field = read.string(*it->second, key);
    bool command = key != "pid_file" && key != "process_name";
    if (command && field->find_first_not_of(" \t\r\n") == std::string::npos) {
      throw file.error(it->second->source(), "empty command", key);
    }
  }
  if (store.pid_file.empty() && store.process_name.empty()) {
    throw file.error(db->source(),
                     "[db] needs pid_file or process_name (stop, kill, pause and restart find the "
                     "store's process by them)",
                     "pid_file");
  }
  if (auto it = db_keys.find("logs"); it != db_keys.end())
    store.logs = read.strings(*it->second, "logs");
  if (auto it = db_keys.find("honours_faketime"); it != db_keys.end())
    store.honours_faketime = read.boolean(*it->second, "honours_faketime");
  if (auto it = db_keys.find("healthy_timeout"); it != db_keys.end()) {
    const toml::node& n = *it->second;
    if (!n.is_integer()) {
      throw file.error(n.source(), "expected whole seconds, not " + std::string(type_of(n)),
                       "healthy_timeout");
    }
    std::int64_t s = n.as_integer()->get();
    if (s < 1 || s > 3600)
      throw file.error(n.source(), "must be within 1..3600 seconds", "healthy_timeout");
    store.healthy_timeout = std::chrono::seconds(s);
  }

  const toml::node* client_node = doc.get("client");
  if (!client_node)
    throw file.error(db->source(), "a test file with [db] needs a [client] table", "client");
  const toml::table* client = client_node->as_table();
  if (!client) throw file.error(client_node->source(), "expected a table [client]", "client");
  auto client_keys = entries(file, *client, kClientKeys, "client");
  if (!client_keys.count("command")) {
    throw file.error(client->source(),
                     "[client] has no command (the client program and its arguments)", "command");
  }
  store.client_command = read.strings(*client_keys["command"], "command");
  if (store.client_command.empty()) {
    throw file.error(client_keys["command"]->source(), "the client command is empty", "command");
  }
  if (!client_keys.count("workloads")) {
    throw file.error(client->source(), "[client] has no workloads (what the client speaks)",
                     "workloads");
  }
  const toml::node& workloads = *client_keys["workloads"];
  store.workloads = read.strings(workloads, "workloads");
  if (store.workloads.empty()) throw file.error(workloads.source(), "no workloads", "workloads");
  std::vector<std::string> known = workload_names();
  for (const toml::node& item : *workloads.as_array()) {
    std::string w = item.as_string()->get();
    if (std::find(known.begin(), known.end(), w) == known.end()) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw file.error(item.source(), "unknown workload '" + w + "' (known: " + list + ")",
                       "workloads");
    }
  }

  if (const toml::node* settings_node = doc.get("settings")) {
    const toml::table* settings = settings_node->as_table();
    if (!settings)
      throw file.error(settings_node->source(), "expected a table [settings]", "settings");
    for (auto&& [key, node] : *settings) {
      std::string k(key.str());
      if (!plain_name(k, false)) {
        throw file.error(key.source(),
                         "a setting's name is lower-case letters, digits, '-' and '_'", k);
      }
      std::vector<std::string> values = read.strings(node, k, true);
      if (values.empty()) throw file.error(node.source(), "a setting needs at least one value", k);
      store.settings[k] = values;
    }
  }
  return store;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

// The option's values from a TOML value, checked against what the option takes.
std::vector<std::string> option_values(const TestFile& file, const CLI::Option& option,
                                       const toml::node& n, const std::string& key) {
  Reader read(file);
  const std::string type = option.get_type_name();
  auto starts = [&](const char* prefix) { return type.rfind(prefix, 0) == 0; };
  if (option.get_items_expected_max() == 0) {  // a flag
    return {read.boolean(n, key) ? "true" : "false"};
  }
  if (option.get_items_expected_max() > 1) {
    if (n.is_array()) return read.strings(n, key);
    return {read.string(n, key)};
  }
  if (starts("INT") || starts("UINT") || starts("FLOAT") || starts("NUMBER")) {
    if (n.is_integer()) return {std::to_string(n.as_integer()->get())};
    if (n.is_floating_point() && !starts("INT") && !starts("UINT")) {
      std::ostringstream text;
      text.precision(17);
      text << n.as_floating_point()->get();
      return {text.str()};
    }
    throw file.error(n.source(),
                     std::string(starts("FLOAT") || starts("NUMBER") ? "expected a number"
                                                                     : "expected a whole number") +
                         ", not " + type_of(n),
                     key);
  }
  if (n.is_integer()) return {std::to_string(n.as_integer()->get())};  // concurrency = 10
  return {read.string(n, key)};
}

// Sets `option` to `n` (then `also`), as if given on the command line.
void set_option(const TestFile& file, CLI::Option& option, const std::string& key,
                const toml::node& n, const std::vector<std::string>& also) {
  std::vector<std::string> values = option_values(file, option, n, key);
  values.insert(values.end(), also.begin(), also.end());
  option.clear();
  if (option.get_items_expected_max() == 0 && values.front() == "false") return;
  option.add_result(values);
  try {
    option.run_callback();
  } catch (const CLI::Error& e) {
    throw file.error(n.source(), e.what(), key);
  }
}

}  // namespace

TestFileError TestFile::error(const toml::source_region& where, const std::string& problem,
                              const std::string& key) const {
  return TestFileError(path.string() + ":" + std::to_string(where.begin.line) + ":" +
                       std::to_string(where.begin.column) + ": " + problem + " (" + key + ")");
}

TestFile load_test_file(const fs::path& path) {
  TestFile file;
  file.path = path;
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path))
    throw InputMissing(path.string() + ": cannot read the test file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    file.document = toml::parse(text, path.string());
  } catch (const toml::parse_error& e) {
    throw TestFileError(path.string() + ":" + std::to_string(e.source().begin.line) + ":" +
                        std::to_string(e.source().begin.column) + ": " +
                        std::string(e.description()));
  }
  for (auto&& [key, node] : file.document) {
    std::string k(key.str());
    if (node.is_table() && !kTables.count(k)) {
      throw file.error(key.source(),
                       "unknown table (a test file has [db], [client], [settings] and [matrix])",
                       k);
    }
  }
  bool describes_store = file.document.contains("db") && file.document.get("db")->is_table();
  if (!describes_store) {
    for (const char* table : {"client", "settings"}) {
      if (const toml::node* n = file.document.get(table)) {
        throw file.error(n->source(),
                         std::string("[") + table + "] describes a store, which needs [db]", table);
      }
    }
    return file;
  }
  file.script = read_store(file);
  file.store =
      std::make_shared<adapters::StoreDescriptor>(adapters::describe_script_store(*file.script));
  return file;
}

std::set<std::string> option_keys(const CLI::App& command) {
  std::set<std::string> out;
  for (const CLI::Option* o : command.get_options()) {
    for (const std::string& name : o->get_lnames()) out.insert(name);
  }
  return out;
}

void apply_test_file_options(const TestFile& file, CLI::App& command,
                             const std::set<std::string>& ignored) {
  for (auto&& [key, node] : file.document) {
    std::string k(key.str());
    if (kTables.count(k) && node.is_table()) continue;  // checked by load_test_file
    std::string option_name = k;
    if (k == "name" && file.store) continue;  // the store's name
    CLI::Option* option =
        k == "test-file" || k == "help" ? nullptr : command.get_option_no_throw("--" + option_name);
    if (!option) {
      if (ignored.count(k)) continue;
      throw file.error(
          key.source(),
          "unknown key: no option --" + k + " of `faultline " + command.get_name() + "`", k);
    }
    std::vector<std::string> given;  // on the command line
    if (option->count() > 0) {
      if (k != "db-setting") continue;  // the command line wins
      given = option->results();        // db settings: the command line's come later, and win
    }
    set_option(file, *option, k, node, given);
  }
}

void set_test_file_option(const TestFile& file, CLI::App& command, const std::string& key,
                          const toml::node& value) {
  CLI::Option* option = command.get_option_no_throw("--" + key);
  if (!option || key == "test-file") {
    throw file.error(value.source(),
                     "no option --" + key + " of `faultline " + command.get_name() + "`", key);
  }
  set_option(file, *option, key, value, {});
}

void use_test_file_store(const TestFile& file, TestConfig& config) {
  if (file.store) {
    config.db = file.store->name;
    config.store_descriptor = file.store;
  }
  const adapters::StoreDescriptor& store = store_of(config);
  if (const toml::node* w = file.document.get("workload");
      w && w->is_string() && w->as_string()->get() == config.workload &&
      std::find(store.workloads.begin(), store.workloads.end(), config.workload) ==
          store.workloads.end()) {
    throw file.error(w->source(),
                     store.name + " has no client for workload '" + config.workload +
                         "' (it has: " + join(store.workloads, ", ") + ")",
                     "workload");
  }
  if (const toml::node* s = file.document.get("db-setting")) {
    std::vector<const toml::node*> items;
    if (const toml::array* a = s->as_array()) {
      for (const toml::node& item : *a) items.push_back(&item);
    } else {
      items.push_back(s);
    }
    for (const toml::node* item : items) {
      std::string text = item->value_or(std::string());
      std::size_t eq = text.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
        throw file.error(item->source(), "'" + text + "' is not NAME=VALUE", "db-setting");
      }
      std::string name = text.substr(0, eq), value = text.substr(eq + 1);
      const adapters::StoreSetting* setting = store.setting(name);
      if (!setting) {
        std::vector<std::string> names;
        for (const auto& o : store.settings) names.push_back(o.name);
        throw file.error(
            item->source(),
            store.name + " has no setting '" + name + "'" +
                (names.empty() ? " (it has none)" : " (it has: " + join(names, ", ") + ")"),
            "db-setting");
      }
      std::string problem = adapters::StoreDescriptor::value_problem(*setting, value);
      if (!problem.empty()) throw file.error(item->source(), name + " " + problem, "db-setting");
    }
  }
}

void check_test_file_client(const TestFile& file) {
  if (!file.script) return;
  try {
    adapters::check_client_startable(*file.script);
  } catch (const adapters::DatabaseError& e) {
    throw UnavailableError(file.path.string() + ": " + e.what());
  }
}

}  // namespace faultline
