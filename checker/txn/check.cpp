#include "checker/txn/check.h"

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <sstream>

#include "checker/history/memory_limit.h"
#include "checker/txn/consistency_models.h"
#include "checker/txn/cycle_search.h"
#include "checker/txn/dependencies.h"
#include "checker/txn/explain.h"
#include "checker/txn/graph.h"

namespace faultline::txn {

namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

UnknownConsistencyModel::UnknownConsistencyModel(const std::string& name)
    : std::invalid_argument("unknown consistency model '" + name +
                            "' (known: " + join(consistency_model_names()) + ")") {}

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::size_t default_memory_limit_mib(const TxnHistory& h) {
  return default_memory_limit(h.memory_bytes()).bytes >> 20;  // checker/history/memory_limit.h
}

class Run {
 public:
  Run(const TxnHistory& h, const TxnCheckOptions& o, TxnCheckResult& r)
      : h_(h),
        o_(o),
        r_(r),
        memory_limit_mib_(o.memory_limit_mib ? o.memory_limit_mib : default_memory_limit_mib(h)) {
    if (o.time_limit_s > 0) {
      deadline_ = start_ + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(o.time_limit_s));
    }
  }

  void run() {
    for (const Txn& t : h_.txns) {
      (t.outcome == Outcome::kOk     ? r_.txns_ok
       : t.outcome == Outcome::kFail ? r_.txns_fail
                                     : r_.txns_info)++;
    }
    note_memory(h_.memory_bytes());
    if (over_memory("the compiled history")) return finish();
    auto t = Clock::now();
    Dependencies deps =
        h_.workload == ObjectKind::kListAppend ? infer_list_append(h_) : infer_rw_register(h_);
    r_.stage_ms["infer"] = ms_since(t);
    const bool process = h_.processes_known, realtime = true;
    t = Clock::now();
    // Elle's empty transaction graph: no committed txn depends on another. Real-time and
    // process order alone close no cycle, so they do not count (Elle counts them for the
    // models it adds them for).
    r_.empty_transaction_graph = deps.edges.empty();
    const std::uint32_t time_nodes = add_order_edges(h_, deps.edges, process, realtime);
    const auto n = static_cast<std::uint32_t>(h_.txns.size());
    // Building needs the edge list plus a packed copy (8 bytes each) and the result.
    note_memory(h_.memory_bytes() + deps.edges.capacity() * sizeof(Edge) + deps.edges.size() * 13 +
                (n + time_nodes) * 16ull);
    if (over_memory("the dependency graph") || over_time("building the dependency graph")) {
      return finish();
    }
    DependencyGraph g = build_graph(n, time_nodes, std::move(deps.edges));
    r_.edges = g.edge_count();
    r_.nodes = g.node_count;
    r_.stage_ms["graph"] = ms_since(t);
    t = Clock::now();
    const auto components = cyclic_components(g);
    r_.cyclic_components = components.size();
    r_.stage_ms["components"] = ms_since(t);
    note_memory(h_.memory_bytes() + g.memory_bytes() + g.node_count * 24ull);
    t = Clock::now();
    Explainer explainer(h_, deps);
    for (const Case& c : deps.cases) add(explainer, c);
    search(g, components, explainer, process, realtime);
    r_.stage_ms["search"] = ms_since(t);
    finish();
  }

 private:
  void note_memory(std::size_t bytes) {
    r_.peak_memory_bytes = std::max(r_.peak_memory_bytes, bytes);
  }

  bool over_memory(const char* what) {
    if (r_.peak_memory_bytes <= memory_limit_mib_ * 1024 * 1024) return false;
    cut_ = "memory: " + std::string(what) + " needs about " +
           std::to_string(r_.peak_memory_bytes / (1024 * 1024)) + " MiB, over the limit of " +
           std::to_string(memory_limit_mib_) + " MiB";
    return true;
  }
  bool over_time(const char* what) {
    if (Clock::now() < deadline_) return false;
    cut_ = "time: the limit of " + std::to_string(o_.time_limit_s) + " s passed while " + what;
    return true;
  }

  template <class Anomaly>
  void add(const Explainer& explainer, const Anomaly& a) {
    std::string type = type_of(a);
    std::size_t& count = r_.anomaly_counts[type];
    if (count++ < o_.max_examples) r_.examples.push_back(explainer.explain(a));
  }
  static std::string type_of(const Case& c) { return std::string(case_name(c.type)); }
  static std::string type_of(const Cycle& c) { return cycle_name(c.cls, c.variant); }

  void search(const DependencyGraph& g, const std::vector<std::vector<std::uint32_t>>& components,
              const Explainer& explainer, bool process, bool realtime) {
    SearchLimits limits;
    limits.deadline = deadline_;
    limits.max_starts = o_.max_starts;
    limits.max_visits = o_.max_visits;
    limits.process = process;
    limits.realtime = realtime;
    std::atomic<bool> timed_out{false};
    std::vector<ComponentFindings> findings(components.size());
    // Largest first, so one giant component does not finish last on one thread.
    std::vector<std::size_t> order(components.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](auto a, auto b) { return components[a].size() > components[b].size(); });
    std::vector<char> searched(components.size(), 0);
    tbb::parallel_for(std::size_t{0}, order.size(), [&](std::size_t i) {
      const std::size_t c = order[i];
      if (timed_out.load()) return;
      findings[c] = search_component(g, components[c], limits, timed_out);
      searched[c] = 1;
    });
    // Shortest cycles first among the examples of each type.
    std::vector<const Cycle*> cycles;
    std::set<std::string> undecided;
    for (std::size_t c = 0; c < findings.size(); ++c) {
      for (const Cycle& cycle : findings[c].cycles) cycles.push_back(&cycle);
      for (int cls = 0; cls < kCycleClasses; ++cls) {
        for (int v = 0; v < kVariants; ++v) {
          if (!searched[c] || findings[c].status[cls][v] == SearchStatus::kUnknown) {
            undecided.insert(cycle_name(static_cast<CycleClass>(cls), static_cast<Variant>(v)));
          }
        }
      }
    }
    std::stable_sort(cycles.begin(), cycles.end(),
                     [](auto a, auto b) { return a->steps.size() < b->steps.size(); });
    for (const Cycle* c : cycles) add(explainer, *c);
    for (const auto& name : undecided) {
      if (!r_.anomaly_counts.count(name)) r_.undecided_anomalies.push_back(name);
    }
    if (timed_out.load()) {
      cut_ = "time: the limit of " + std::to_string(o_.time_limit_s) +
             " s passed while searching cycles";
    }
  }

  void finish() {
    r_.elapsed_ms = ms_since(start_);
    const bool analysed = r_.stage_ms.count("search") > 0;  // else every model is open
    std::set<std::string> undecided(r_.undecided_anomalies.begin(), r_.undecided_anomalies.end());
    std::vector<std::string> satisfied;
    r_.processes_known = h_.processes_known;
    for (const ConsistencyModel& m : consistency_models()) {
      // Session models need the process order the history does not have.
      bool violated = false, open = !analysed || (!h_.processes_known && needs_process_order(m) &&
                                                  !needs_realtime_order(m));
      for (const auto& a : m.proscribed) {
        violated |= r_.anomaly_counts.count(a) > 0;
        open |= undecided.count(a) > 0;
      }
      if (violated) {
        r_.violated_models.push_back(m.name);
      } else if (open || (analysed && r_.empty_transaction_graph)) {  // nothing to judge
        r_.undecided_models.push_back(m.name);
      } else {
        satisfied.push_back(m.name);
      }
    }
    for (const auto& s : satisfied) {
      bool maximal = std::none_of(satisfied.begin(), satisfied.end(),
                                  [&](const std::string& t) { return t != s && implies(t, s); });
      if (maximal) r_.strongest_satisfied.push_back(s);
    }
    auto has = [](const std::vector<std::string>& v, const std::string& s) {
      return std::find(v.begin(), v.end(), s) != v.end();
    };
    if (has(r_.violated_models, o_.consistency_model)) {
      r_.verdict = Verdict::kInvalid;
      std::vector<std::string> found;
      const ConsistencyModel* m = find_consistency_model(o_.consistency_model);
      for (const auto& [type, count] : r_.anomaly_counts) {
        if (has(m->proscribed, type)) found.push_back(type);
      }
      r_.reason = o_.consistency_model + " proscribes " + join(found);
    } else if (has(r_.undecided_models, o_.consistency_model)) {
      r_.verdict = Verdict::kUnknown;
      if (!cut_.empty()) {
        r_.reason = cut_;
      } else if (r_.empty_transaction_graph) {
        r_.reason =
            "empty transaction graph: no committed transaction read, overwrote or "
            "followed another's, so there is no dependency to check (Elle answers "
            "unknown too)";
      } else if (!r_.undecided_anomalies.empty()) {
        r_.reason = "the search for " + join(r_.undecided_anomalies) +
                    " was cut short (raise --max-starts or the time limit)";
      } else {
        r_.reason = "process order unknown: the history names no processes, so " +
                    o_.consistency_model + " (a session guarantee) cannot be judged";
      }
    } else {
      r_.verdict = Verdict::kValid;
    }
  }

  const TxnHistory& h_;
  const TxnCheckOptions& o_;
  TxnCheckResult& r_;
  const std::size_t memory_limit_mib_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point deadline_ = Clock::time_point::max();
  std::string cut_;
};

}  // namespace

TxnCheckResult check_transactions(const TxnHistory& history, const TxnCheckOptions& options) {
  if (!find_consistency_model(options.consistency_model)) {
    throw UnknownConsistencyModel(options.consistency_model);
  }
  TxnCheckResult result;
  result.workload = std::string(to_string(history.workload));
  result.consistency_model = options.consistency_model;
  result.source = history.source;
  result.operations = history.history_ops;
  const int threads =
      options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  arena.execute([&] { Run(history, options, result).run(); });
  return result;
}

TxnCheckResult check_transactions(const History& history, const TxnCheckOptions& options) {
  if (!find_consistency_model(options.consistency_model)) {
    throw UnknownConsistencyModel(options.consistency_model);
  }
  auto start = Clock::now();
  TxnHistory compiled = compile_txn_history(history, options.workload);
  const double compile_ms = ms_since(start);
  TxnCheckResult result = check_transactions(compiled, options);
  result.stage_ms["compile"] = compile_ms;
  result.elapsed_ms += compile_ms;
  return result;
}

boost::json::object TxnCheckResult::to_json() const {
  boost::json::object o;
  o["schema"] = "faultline.results/1";
  o["checker"] = "transactions";
  o["verdict"] = std::string(to_string(verdict));
  if (!reason.empty()) o["reason"] = reason;
  o["model"] = workload;
  o["consistency_model"] = consistency_model;
  o["source"] = source;
  auto strings = [](const std::vector<std::string>& v) {
    boost::json::array a;
    for (const auto& s : v) a.push_back(boost::json::string(s));
    return a;
  };
  o["violated_models"] = strings(violated_models);
  o["strongest_satisfied_models"] = strings(strongest_satisfied);
  o["undecided_models"] = strings(undecided_models);
  o["process_order"] =
      processes_known
          ? "known"
          : "unknown: no process in the history, so no process edges and no session model judged";
  o["empty_transaction_graph"] = empty_transaction_graph;
  boost::json::object counts;
  for (const auto& [type, count] : anomaly_counts) counts[type] = count;
  o["anomaly_types"] = strings([&] {
    std::vector<std::string> t;
    for (const auto& [type, count] : anomaly_counts) t.push_back(type);
    return t;
  }());
  o["anomaly_counts"] = std::move(counts);
  o["undecided_anomalies"] = strings(undecided_anomalies);
  boost::json::array anomalies;
  for (const AnomalyExample& ex : examples) {
    boost::json::object a = ex.detail;
    a["type"] = ex.type;
    a["explanation"] = ex.text;
    anomalies.push_back(std::move(a));
  }
  o["anomalies"] = std::move(anomalies);
  boost::json::object stats;
  stats["operations"] = operations;
  stats["txns_ok"] = txns_ok;
  stats["txns_fail"] = txns_fail;
  stats["txns_info"] = txns_info;
  stats["graph_nodes"] = nodes;
  stats["graph_edges"] = edges;
  stats["cyclic_components"] = cyclic_components;
  stats["peak_memory_bytes"] = peak_memory_bytes;
  stats["elapsed_ms"] = elapsed_ms;
  boost::json::object stages;
  for (const auto& [stage, ms] : stage_ms) stages[stage] = ms;
  stats["stage_ms"] = std::move(stages);
  o["stats"] = std::move(stats);
  return o;
}

std::string TxnCheckResult::summary() const {
  std::ostringstream s;
  s << to_string(verdict) << " (" << workload << ", " << consistency_model << ")";
  if (!reason.empty()) s << ": " << reason;
  s << "\n"
    << txns_ok << " ok, " << txns_fail << " failed, " << txns_info << " unknown transactions; "
    << edges << " edges, " << cyclic_components << " cyclic components; "
    << static_cast<long>(elapsed_ms) << " ms\n";
  for (const auto& [type, count] : anomaly_counts) s << "  " << type << ": " << count << "\n";
  if (!violated_models.empty()) s << "violates: " << join(violated_models) << "\n";
  s << "strongest models still satisfied: "
    << (strongest_satisfied.empty() ? std::string("none") : join(strongest_satisfied)) << "\n";
  if (!undecided_models.empty()) s << "undecided: " << join(undecided_models) << "\n";
  if (!processes_known) {
    s << "process order unknown (no process in the history): no process edges, session "
         "models undecided\n";
  }
  std::set<std::string> shown;
  for (const AnomalyExample& ex : examples) {
    if (!shown.insert(ex.type).second || shown.size() > 4) continue;
    s << "\n" << ex.type << ":\n" << ex.text << "\n";
  }
  return s.str();
}

}  // namespace faultline::txn
