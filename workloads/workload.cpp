#include "workloads/workload.h"

#include "workloads/factories.h"

namespace faultline {

std::vector<std::string> workload_names() {
  return {"bank", "counter", "list-append", "register", "rw-register", "set"};
}

std::unique_ptr<Workload> make_workload(const std::string& name, const WorkloadOptions& options) {
  if (options.read_share && (*options.read_share < 0 || *options.read_share > 1)) {
    throw std::invalid_argument("read share must be within [0, 1]");
  }
  if (options.cas_share < 0 || options.cas_share > 1) {
    throw std::invalid_argument("cas share must be within [0, 1]");
  }
  if (options.keys == 0 || options.ops_per_key == 0) {
    throw std::invalid_argument("keys and ops per key must be at least 1");
  }
  if (options.accounts < 2 || options.total < 0 || options.max_transfer < 1) {
    throw std::invalid_argument("bank needs at least 2 accounts, a total >= 0, transfers >= 1");
  }
  if (name == "register") return make_register_workload(options);
  if (name == "set") return make_set_workload(options);
  if (name == "bank") return make_bank_workload(options);
  if (name == "list-append") return make_list_append_workload(options);
  if (name == "rw-register") return make_rw_register_workload(options);
  if (name == "counter") return make_counter_workload(options);
  throw std::invalid_argument("unknown workload '" + name +
                              "' (known: bank, counter, list-append, register, rw-register, set)");
}

std::vector<Operation> Workload::final_read() {
  Operation read;
  read.f = "read";
  read.extra["final"] = true;
  return {read};
}

void Workload::final_phase(FinalPhaseContext& context) const {
  run_on_every_node_until_ok(context, final_ops(), 3);
}

boost::json::object Workload::config() const {
  const WorkloadOptions& o = options_;
  boost::json::object out{{"name", name()},           {"checker", checker()},
                          {"seed", o.seed},           {"linearizable_reads", o.linearizable_reads},
                          {"keys", o.keys},           {"ops_per_key", o.ops_per_key},
                          {"cas_share", o.cas_share}, {"accounts", o.accounts},
                          {"total", o.total},         {"max_transfer", o.max_transfer}};
  if (o.read_share) out["read_share"] = *o.read_share;
  if (!o.consistency_model.empty()) out["consistency_model"] = o.consistency_model;
  return out;
}

std::unique_ptr<Workload> workload_from_config(const boost::json::object& config) {
  try {
    WorkloadOptions o;
    auto num = [&](const char* field, auto& into) {
      if (const auto* v = config.if_contains(field)) {
        into = boost::json::value_to<std::decay_t<decltype(into)>>(*v);
      }
    };
    num("seed", o.seed);
    num("linearizable_reads", o.linearizable_reads);
    num("keys", o.keys);
    num("ops_per_key", o.ops_per_key);
    num("cas_share", o.cas_share);
    num("accounts", o.accounts);
    num("total", o.total);
    num("max_transfer", o.max_transfer);
    if (const auto* v = config.if_contains("read_share")) o.read_share = v->to_number<double>();
    if (const auto* v = config.if_contains("consistency_model"); v && v->is_string()) {
      o.consistency_model = std::string(v->get_string());
    }
    const auto* name = config.if_contains("name");
    if (!name || !name->is_string()) throw std::invalid_argument("workload config has no name");
    return make_workload(std::string(name->get_string()), o);
  } catch (const boost::system::system_error& e) {
    throw std::invalid_argument(std::string("malformed workload config: ") + e.what());
  }
}

}  // namespace faultline
