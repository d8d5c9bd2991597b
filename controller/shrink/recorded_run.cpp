#include "controller/shrink/recorded_run.h"

#include "checker/history/input_error.h"
#include "controller/errors.h"
#include "controller/test_file.h"
#include "reports/run_report.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using boost::json::object;
using boost::json::value;

const value* field(const object& o, const char* name) {
  return o.if_contains(name);
}

std::string text(const object& o, const char* name, const std::string& fallback = "") {
  const value* v = field(o, name);
  return v && v->is_string() ? std::string(v->get_string()) : fallback;
}

double number(const object& o, const char* name, double fallback) {
  const value* v = field(o, name);
  return v && v->is_number() ? v->to_number<double>() : fallback;
}

bool flag(const object& o, const char* name, bool fallback) {
  const value* v = field(o, name);
  return v && v->is_bool() ? v->get_bool() : fallback;
}

// The nodes as the run named them: its node options (test.json of this version), else its
// local cluster, else its nodes by name and host.
remote::NodeOptions node_options(const object& test, const object& config) {
  remote::NodeOptions o;
  if (const value* n = field(config, "node_options"); n && n->is_object()) {
    const object& no = n->get_object();
    o.nodes = text(no, "nodes");
    o.nodes_file = text(no, "nodes_file");
    o.cluster = text(no, "cluster", o.cluster);
    o.ssh_user = text(no, "ssh_user");
    o.ssh_key = text(no, "ssh_key");
    o.ssh_port = static_cast<int>(number(no, "ssh_port", 0));
    o.known_hosts = text(no, "known_hosts");
    o.no_strict_host_keys = flag(no, "no_strict_host_keys", false);
    o.sudo = flag(no, "sudo", false);
    o.sudo_password_stdin = flag(no, "sudo_password_stdin", false);
    return o;
  }
  if (const value* c = field(test, "local_cluster"); c && c->is_string()) {
    o.cluster = c->get_string();
    return o;
  }
  if (const value* nodes = field(test, "nodes"); nodes && nodes->is_array()) {
    for (const auto& n : nodes->get_array()) {
      if (!n.is_object()) continue;
      o.nodes += (o.nodes.empty() ? "" : ",") + text(n.get_object(), "name") + "=" +
                 text(n.get_object(), "host");
      o.ssh_user = text(n.get_object(), "user");
    }
  }
  return o;
}

}  // namespace

RecordedRun read_recorded_run(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw InputMissing(dir.string() + ": no such run directory");
  RecordedRun run;
  run.dir = fs::absolute(dir).lexically_normal();
  run.test = *read_json_object(dir / "test.json", true);
  run.results = read_json_object(dir / "results.json", false).value_or(object{});
  if (!fs::exists(dir / "schedule.json")) {
    throw InputMissing((dir / "schedule.json").string() +
                       ": missing (runs of faultline before schedule.json cannot be replayed)");
  }
  run.schedule = nemesis::load_schedule(dir / "schedule.json");
  if (const value* s = field(run.test, "seed"); s && s->is_number())
    run.seed = s->to_number<std::uint64_t>();
  if (const value* n = field(run.test, "nodes"); n && n->is_array())
    run.node_count = n->get_array().size();
  return run;
}

TestConfig replay_config(const RecordedRun& run) {
  const value* config_v = field(run.test, "config");
  if (!config_v || !config_v->is_object())
    throw UsageError((run.dir / "test.json").string() + ": has no \"config\"");
  const object& c = config_v->get_object();
  TestConfig config;
  config.db = text(c, "db", config.db);
  config.workload = text(c, "workload", config.workload);
  config.concurrency = text(c, "concurrency", config.concurrency);
  config.rate = number(c, "rate", config.rate);
  config.time_limit_s = number(c, "time_limit_s", config.time_limit_s);
  config.read_consistency = text(c, "read_consistency", config.read_consistency);
  if (const value* s = field(c, "db_settings"); s && s->is_object()) {
    for (const auto& [name, v] : s->get_object()) {
      if (v.is_string()) config.db_settings[std::string(name)] = std::string(v.get_string());
    }
  }
  config.op_timeout_ms = static_cast<int>(number(c, "op_timeout_ms", config.op_timeout_ms));
  config.recovery_timeout_s = number(c, "recovery_timeout_s", config.recovery_timeout_s);
  config.convergence_timeout_s = number(c, "convergence_timeout_s", config.convergence_timeout_s);
  config.check_time_limit_s = number(c, "check_time_limit_s", config.check_time_limit_s);
  config.stop_on_invalid = flag(c, "stop_on_invalid", false);
  config.store = text(c, "store", config.store);
  config.nodes = node_options(run.test, c);
  config.cluster_size = static_cast<int>(std::max<std::size_t>(run.node_count, 1));
  config.name = text(run.test, "name");
  config.seed = run.seed;
  config.test_count = 1;
  config.schedule_file = (run.dir / "schedule.json").string();
  // The workload's own options, as the run used them (read share, keys, model...).
  if (const value* w = field(run.test, "workload"); w && w->is_object()) {
    try {
      config.workload_options = workload_from_config(w->get_object())->options();
    } catch (const std::invalid_argument& e) {
      throw UsageError((run.dir / "test.json").string() + ": workload: " + e.what());
    }
  }
  config.test_file = text(c, "test_file");
  if (!config.test_file.empty()) {
    if (!fs::exists(config.test_file)) {
      throw UsageError("the run's test file " + config.test_file +
                       " is gone: its store cannot be run again without it");
    }
    TestFile file = load_test_file(config.test_file);
    check_test_file_client(file);
    if (file.store) config.store_descriptor = file.store;
  }
  return config;
}

}  // namespace faultline
