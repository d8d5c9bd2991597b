// `faultline test-all FILE.toml`: every combination of the test file's [matrix], one ordinary
// run (controller/run/) each, then one summary: a table on stdout, summary.html linking each
// run's report, and one JUnit XML file with a test case per combination.
//
//   [matrix]
//   nemesis = ["none", "partition", "kill,pause"]   # any option of `test`, a list of values
//   workload = ["register", "set"]
//   setting.read-from = ["primary", "replica"]       # a store setting (--db-setting)
//
// Every combination is validated before the first runs (exit 64). A matrix value overrides
// the file's and the command line's value of its option. The exit code is the worst verdict;
// a combination that could not run (an error) is worse than any verdict.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <regex>
#include <sstream>

#include "controller/commands.h"
#include "controller/compare/modes.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"
#include "controller/run/analysis.h"
#include "controller/run/run_store.h"
#include "controller/run/runner.h"
#include "controller/test_cli.h"
#include "remote/errors.h"
#include "reports/test_all_summary.h"
#include "reports/verdicts.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

struct Dimension {
  std::string key;       // option name, or the setting's name
  bool setting = false;  // a [matrix.setting] entry
  std::vector<const toml::node*> values;
};

struct Combination {
  std::string name;  // "nemesis=partition workload=set read-from=replica"
  std::vector<std::pair<std::string, std::string>> values;
  TestPlan plan;
};

struct TestAllCli {
  TestCli test;
  std::string file;
  std::string filter;
  std::string summary_dir;
  std::string junit;
  bool list = false;
};

std::string value_text(const toml::node& n) {
  if (n.is_string()) return n.as_string()->get();
  if (n.is_integer()) return std::to_string(n.as_integer()->get());
  if (n.is_boolean()) return n.as_boolean()->get() ? "true" : "false";
  if (n.is_floating_point()) {
    std::ostringstream out;
    out << n.as_floating_point()->get();
    return out.str();
  }
  return "?";
}

std::vector<const toml::node*> matrix_values(const TestFile& file, const toml::node& n,
                                             const std::string& key) {
  const toml::array* a = n.as_array();
  if (!a) throw file.error(n.source(), "a [matrix] entry is a list of values", key);
  if (a->empty()) throw file.error(n.source(), "an empty list leaves no combination", key);
  std::vector<const toml::node*> out;
  for (const toml::node& item : *a) {
    if (!(item.is_string() || item.is_integer() || item.is_floating_point() || item.is_boolean())) {
      throw file.error(item.source(), "a [matrix] value is a string, number or boolean", key);
    }
    out.push_back(&item);
  }
  return out;
}

std::vector<Dimension> read_matrix(const TestFile& file, const CLI::App& cmd,
                                   const adapters::StoreDescriptor& store) {
  std::vector<Dimension> dims;
  const toml::node* m = file.document.get("matrix");
  if (!m) return dims;  // one combination: the file's test
  for (auto&& [key, node] : *m->as_table()) {
    std::string k(key.str());
    if (k == "setting") {
      const toml::table* settings = node.as_table();
      if (!settings)
        throw file.error(node.source(), "setting.NAME = [values] names store settings", k);
      for (auto&& [skey, snode] : *settings) {
        std::string name(skey.str());
        const adapters::StoreSetting* setting = store.setting(name);
        if (!setting) {
          std::string names;
          for (const auto& s : store.settings) names += (names.empty() ? "" : ", ") + s.name;
          throw file.error(skey.source(),
                           store.name + " has no setting '" + name + "'" +
                               (names.empty() ? " (it has none)" : " (it has: " + names + ")"),
                           "setting." + name);
        }
        Dimension d{name, true, matrix_values(file, snode, "setting." + name)};
        for (const toml::node* v : d.values) {
          std::string problem = adapters::StoreDescriptor::value_problem(*setting, value_text(*v));
          if (!problem.empty())
            throw file.error(v->source(), name + " " + problem, "setting." + name);
        }
        dims.push_back(std::move(d));
      }
      continue;
    }
    if (!cmd.get_option_no_throw("--" + k) || k == "test-file" || k == "db" || k == "test-count") {
      throw file.error(key.source(),
                       "unknown [matrix] key: an option of `faultline test` (not db, test-count) "
                       "or setting.NAME",
                       k);
    }
    Dimension d{k, false, matrix_values(file, node, k)};
    if (k == "workload") {
      for (const toml::node* v : d.values) {
        std::string w = value_text(*v);
        if (std::find(store.workloads.begin(), store.workloads.end(), w) == store.workloads.end()) {
          std::string names;
          for (const auto& n : store.workloads) names += (names.empty() ? "" : ", ") + n;
          throw file.error(
              v->source(),
              store.name + " has no client for workload '" + w + "' (it has: " + names + ")",
              "workload");
        }
      }
    }
    dims.push_back(std::move(d));
  }
  return dims;
}

// "name=value" label made safe for a run directory's name.
std::string label_of(const std::vector<std::pair<std::string, std::string>>& values) {
  std::string out;
  for (const auto& [k, v] : values) {
    std::string part;
    for (char ch : v) {
      bool plain = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
      part += plain ? ch : (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch - 'A' + 'a') : '-';
    }
    out += "-" + part;
  }
  return out;
}

bool matches(const std::string& name, const std::string& filter) {
  if (filter.empty() || name.find(filter) != std::string::npos) return true;
  try {
    return std::regex_search(name, std::regex(filter));
  } catch (const std::regex_error&) {
    return false;  // not a regular expression: substrings only
  }
}

std::vector<Combination> combinations(TestAllCli& o, CLI::App& cmd, const TestFile& file) {
  TestConfig first = test_config_of(o.test, cmd, &file);
  std::vector<Dimension> dims = read_matrix(file, cmd, store_of(first));
  const TestCli pristine = o.test;
  std::uint64_t seed = cmd.count("--seed") > 0
                           ? o.test.seed
                           : (std::uint64_t{std::random_device{}()} << 32) | std::random_device{}();
  std::vector<std::size_t> at(dims.size(), 0);
  std::vector<Combination> out;
  while (true) {
    Combination c;
    o.test = pristine;  // the options' variables, as the file and command line set them
    std::vector<std::string> settings;
    for (std::size_t i = 0; i < dims.size(); ++i) {
      const toml::node& v = *dims[i].values[at[i]];
      c.values.emplace_back(dims[i].key, value_text(v));
      if (dims[i].setting) {
        settings.push_back(dims[i].key + "=" + value_text(v));
      } else {
        set_test_file_option(file, cmd, dims[i].key, v);
      }
      c.name += (c.name.empty() ? "" : " ") + dims[i].key + "=" + value_text(v);
    }
    if (c.name.empty()) c.name = "default";
    if (matches(c.name, o.filter)) {
      TestConfig config = test_config_of(o.test, cmd, &file);
      apply_db_settings(config, settings);
      config.seed = seed;
      std::string prefix = pristine.config.name.empty() ? config.db : pristine.config.name;
      config.name = prefix + (dims.empty() ? "" : label_of(c.values));
      try {
        c.plan = validate(config);
      } catch (const UsageError& e) {
        throw UsageError("test-all: combination " + c.name + ": " + e.what());
      }
      out.push_back(std::move(c));
    }
    std::size_t i = dims.size();
    while (i > 0) {
      --i;
      if (++at[i] < dims[i].values.size()) break;
      at[i] = 0;
      if (i == 0) return out;
    }
    if (dims.empty()) return out;
  }
}

int error_exit_code(const std::exception& e) {
  if (dynamic_cast<const UsageError*>(&e) || dynamic_cast<const remote::ConfigError*>(&e))
    return kExitUsage;
  if (dynamic_cast<const UnavailableError*>(&e) || dynamic_cast<const remote::RemoteError*>(&e))
    return kExitUnavailable;
  return kExitSoftware;
}

boost::json::object read_results(const fs::path& file) {
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return v.as_object();
}

// The exit code so far: the first error's, else the worst verdict's.
struct Outcome {
  int worst_verdict = kExitValid;
  int error_code = 0;
  int exit_code() const { return error_code != 0 ? error_code : worst_verdict; }
};

TestAllRow run_combination(const Combination& c, Outcome& outcome) {
  TestAllRow row;
  row.name = c.name;
  row.values = c.values;
  std::cerr << "faultline test-all: " << c.name << "\n";
  fs::path latest = fs::path(c.plan.config.store) / "latest";
  auto before = fs::is_symlink(latest) ? fs::read_symlink(latest) : fs::path();
  auto start = std::chrono::steady_clock::now();
  int code = kExitSoftware;
  // Each run's own verdict lines go to stderr: stdout is the summary's.
  struct CoutToCerr {
    std::streambuf* saved = std::cout.rdbuf(std::cerr.rdbuf());
    ~CoutToCerr() { std::cout.rdbuf(saved); }
  };
  try {
    CoutToCerr redirect;
    code = run_tests(c.plan);
  } catch (const std::exception& e) {
    code = error_exit_code(e);
    row.verdict = "error";
    row.message = e.what();
  }
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (fs::is_symlink(latest) && fs::read_symlink(latest) != before) {
    row.run_dir = fs::canonical(latest);
    row.has_report = fs::exists(row.run_dir / "report.html");
    if (row.verdict.empty()) {
      boost::json::object results = read_results(row.run_dir / "results.json");
      row.verdict = overall_verdict(results);
      for (const CheckerVerdict& v : checker_verdicts(results)) {
        if (v.verdict == "valid") continue;
        row.message = v.name + ": " + v.message.substr(0, v.message.find('\n'));
        break;
      }
    }
  }
  if (row.verdict.empty()) row.verdict = "error";
  if (row.verdict == "error") {
    if (outcome.error_code == 0) outcome.error_code = code == kExitValid ? kExitSoftware : code;
  } else {
    outcome.worst_verdict = worse_exit_code(outcome.worst_verdict, code);
  }
  return row;
}

int run_test_all(const TestAllCli& o, const std::vector<Combination>& combos) {
  const TestConfig& first = combos.front().plan.config;
  std::string suite = fs::path(o.file).stem().string();
  fs::path dir = o.summary_dir.empty()
                     ? fs::path(first.store) / "test-all" / (suite + "-" + local_time(kRunStamp))
                     : fs::path(o.summary_dir);
  fs::create_directories(dir);
  Outcome outcome;
  std::vector<TestAllRow> rows;
  for (const Combination& c : combos) rows.push_back(run_combination(c, outcome));

  fs::path html = dir / "summary.html";
  fs::path junit = o.junit.empty() ? dir / "junit.xml" : fs::path(o.junit);
  std::string title = "faultline test-all: " + o.file;
  auto write = [](const fs::path& path, const std::string& text) {
    if (path.has_parent_path()) fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + path.string());
  };
  write(html, test_all_html(title, rows, html));
  write(junit, test_all_junit(suite, rows));
  std::cout << title << "\n"
            << test_all_table(rows) << "worst verdict: " << worst_test_all_verdict(rows)
            << "\nsummary: " << html.string() << "\njunit: " << junit.string() << "\n";
  return outcome.exit_code();
}

}  // namespace

void add_test_all_commands(CLI::App& app, CommandAction& action) {
  auto o = std::make_shared<TestAllCli>();
  auto* cmd = app.add_subcommand(
      "test-all",
      "Run every combination of a test file's [matrix] (docs/test-files.md), one run each, and "
      "write one summary: a table, summary.html and JUnit XML (exit code: the worst verdict)");
  cmd->add_option("file", o->file, "The TOML test file")->required();
  cmd->add_option("--filter", o->filter,
                  "Run only the combinations whose name (\"nemesis=partition workload=set\") "
                  "contains this text or matches this regular expression");
  cmd->add_option(
      "--summary-dir", o->summary_dir,
      "Write summary.html and junit.xml here (default: <store>/test-all/<file>-<time>/)");
  cmd->add_option("--junit", o->junit, "Write the JUnit XML here instead");
  cmd->add_flag("--list", o->list, "Print the combinations (after --filter) and exit");
  add_test_options(*cmd, o->test);
  cmd->callback([o, cmd, &action] {
    TestFile file = read_test_file_options(o->file, *cmd);
    std::vector<Combination> combos = combinations(*o, *cmd, file);
    if (combos.empty())
      throw UsageError("test-all: --filter '" + o->filter + "' matches no combination");
    if (o->list) {
      action = [combos] {
        for (const Combination& c : combos) std::cout << c.name << "\t" << c.plan.test_name << "\n";
        return kExitValid;
      };
      return;
    }
    action = [o, combos] { return run_test_all(*o, combos); };
  });
}

}  // namespace faultline
