#include "controller/run/test_config.h"

#include <algorithm>
#include <random>

#include "adapters/db.h"
#include "controller/errors.h"
#include "controller/run/online_run.h"
#include "nemesis/schedule.h"

namespace faultline {

std::size_t parse_concurrency(const std::string& text, std::size_t nodes) {
  std::string digits = text;
  bool per_node = !digits.empty() && digits.back() == 'n';
  if (per_node) digits.pop_back();
  if (digits.empty() && per_node) digits = "1";
  std::size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(digits, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (digits.empty() || used != digits.size() || n < 1 || n > 10'000) {
    throw UsageError("--concurrency '" + text + "': expected a count like 10, or 3n (3 per node)");
  }
  return static_cast<std::size_t>(n) * (per_node ? nodes : 1);
}

const adapters::StoreDescriptor& store_of(const TestConfig& config) {
  if (config.store_descriptor) return *config.store_descriptor;
  const adapters::StoreDescriptor* store = adapters::find_builtin_store(config.db);
  if (!store) {
    throw UsageError("unknown --db '" + config.db + "' (known: " + adapters::builtin_store_names() +
                     ")");
  }
  return *store;
}

TestPlan validate(const TestConfig& config) {
  TestPlan plan;
  plan.config = config;
  const adapters::StoreDescriptor& store = store_of(config);
  if (config.read_consistency != "linearizable" && config.read_consistency != "serializable") {
    throw UsageError("unknown --read-consistency '" + config.read_consistency +
                     "' (expected linearizable or serializable)");
  }
  plan.linearizable_reads = config.read_consistency == "linearizable";
  plan.seed =
      config.seed ? *config.seed : std::random_device{}() * 0x100000001ull + std::random_device{}();
  plan.config.workload_options.seed = plan.seed;
  plan.config.workload_options.linearizable_reads = plan.linearizable_reads;
  // Transactional workloads are judged against what the database's settings promise
  // (e.g. postgres isolation=repeatable-read: snapshot-isolation), unless told otherwise.
  if (plan.config.workload_options.consistency_model.empty()) {
    if (store.promised_consistency_model) {
      plan.config.workload_options.consistency_model =
          store.promised_consistency_model(config.db_settings);
    }
  }
  try {
    make_workload(config.workload, plan.config.workload_options);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--workload: ") + e.what());
  }
  if (std::find(store.workloads.begin(), store.workloads.end(), config.workload) ==
      store.workloads.end()) {
    std::string names;
    for (const auto& w : store.workloads) names += (names.empty() ? "" : ", ") + w;
    throw UsageError(store.name + " has no client for workload '" + config.workload +
                     "' (it has: " + names + ")");
  }
  if (config.stop_on_invalid && !has_online_check(config.workload)) {
    throw UsageError(
        "--stop-on-invalid: the " + config.workload +
        " workload has no online check (register, bank, set and counter have one; docs/online.md)");
  }
  if (config.nemesis != "none" && !config.nemesis.empty()) {
    try {
      plan.faults = nemesis::parse_fault_kinds(config.nemesis);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--nemesis: ") + e.what());
    }
  }
  if (!config.schedule_file.empty()) {
    // Exactly these faults (InputError / InputMissing for a bad or missing file).
    plan.schedule = nemesis::load_schedule(config.schedule_file);
    plan.faults = plan.schedule->kinds();
    plan.config.grudge.clear();
    plan.config.nemesis.clear();
    for (auto kind : plan.faults) {
      plan.config.nemesis +=
          (plan.config.nemesis.empty() ? "" : ",") + std::string(nemesis::to_string(kind));
    }
    if (plan.config.nemesis.empty()) plan.config.nemesis = "none";
  } else if (!config.grudge.empty()) {
    plan.fault_options.grudge = nemesis::parse_grudge_kind(config.grudge);
    if (!plan.fault_options.grudge) {
      std::string kinds;
      for (auto kind : nemesis::all_grudge_kinds()) {
        kinds += (kinds.empty() ? "" : ", ") + std::string(nemesis::to_string(kind));
      }
      throw UsageError("unknown --grudge '" + config.grudge + "' (known: " + kinds + ")");
    }
    if (std::find(plan.faults.begin(), plan.faults.end(), nemesis::FaultKind::kPartition) ==
        plan.faults.end()) {
      throw UsageError("--grudge shapes partitions, but --nemesis has no partition");
    }
  }
  parse_concurrency(config.concurrency, 1);
  auto positive = [](double v, const char* option) {
    if (!(v > 0)) throw UsageError(std::string(option) + " must be positive");
  };
  positive(config.time_limit_s, "--time-limit");
  positive(config.nemesis_interval_s, "--nemesis-interval");
  positive(config.recovery_timeout_s, "--recovery-timeout");
  positive(config.convergence_timeout_s, "--convergence-timeout");
  if (config.rate < 0) throw UsageError("--rate must not be negative");
  if (config.test_count < 1) throw UsageError("--test-count must be at least 1");
  if (config.op_timeout_ms < 1) throw UsageError("--op-timeout must be positive");
  if (config.cluster_size < 1 || config.cluster_size > 50) {
    throw UsageError("--cluster-size must be within 1..50");
  }

  plan.test_name = config.name;
  if (plan.test_name.empty()) {
    plan.test_name = config.db + "-" + config.workload;
    if (!plan.faults.empty()) {
      std::string kinds;
      for (auto kind : plan.faults) {
        std::string k(nemesis::to_string(kind));
        if (kinds.find(k) == std::string::npos) kinds += (kinds.empty() ? "" : "+") + k;
      }
      plan.test_name += "-" + kinds;
    }
    if (!plan.linearizable_reads) plan.test_name += "-serializable";
  }
  if (plan.test_name.find('/') != std::string::npos || plan.test_name.front() == '.') {
    throw UsageError("--name '" + plan.test_name + "' must not contain '/' or start with '.'");
  }
  return plan;
}

namespace {
// Whole numbers as integers: Boost.JSON writes every double with an exponent (1E1).
boost::json::value number(double v) {
  if (v == static_cast<double>(static_cast<std::int64_t>(v))) return static_cast<std::int64_t>(v);
  return v;
}
}  // namespace

static boost::json::object db_settings_json(const std::map<std::string, std::string>& settings) {
  boost::json::object out;
  for (const auto& [name, value] : settings) out[name] = value;
  return out;
}

// How the nodes were named, for `replay` (the sudo password is never kept).
static boost::json::object node_options_json(const remote::NodeOptions& o) {
  return {{"nodes", o.nodes},
          {"nodes_file", o.nodes_file},
          {"cluster", o.cluster},
          {"ssh_user", o.ssh_user},
          {"ssh_key", o.ssh_key},
          {"ssh_port", o.ssh_port},
          {"known_hosts", o.known_hosts},
          {"no_strict_host_keys", o.no_strict_host_keys},
          {"sudo", o.sudo},
          {"sudo_password_stdin", o.sudo_password_stdin}};
}

boost::json::object config_json(const TestPlan& plan) {
  const TestConfig& c = plan.config;
  boost::json::array faults;
  for (auto kind : plan.faults) faults.push_back(boost::json::string(nemesis::to_string(kind)));
  return {{"db", c.db},
          {"workload", c.workload},
          {"nemesis", faults},
          {"nemesis_interval_s", number(c.nemesis_interval_s)},
          {"grudge", c.grudge},
          {"concurrency", c.concurrency},
          {"rate", number(c.rate)},
          {"time_limit_s", number(c.time_limit_s)},
          {"seed", plan.seed},
          {"read_consistency", c.read_consistency},
          {"db_settings", db_settings_json(c.db_settings)},
          {"test_count", c.test_count},
          {"op_timeout_ms", c.op_timeout_ms},
          {"recovery_timeout_s", number(c.recovery_timeout_s)},
          {"convergence_timeout_s", number(c.convergence_timeout_s)},
          {"check_time_limit_s", number(c.check_time_limit_s)},
          {"stop_on_invalid", c.stop_on_invalid},
          {"store", c.store},
          {"schedule", c.schedule_file},
          {"test_file", c.test_file},
          {"node_options", node_options_json(c.nodes)}};
}

}  // namespace faultline
