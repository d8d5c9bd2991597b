// The partition fault: each node drops packets from the nodes its grudge names, through
// faultline's own nft table (firewall.h). All nodes are changed in parallel, one command each.

#include <algorithm>

#include "nemesis/errors.h"
#include "nemesis/fault_kinds.h"
#include "nemesis/firewall.h"
#include "nemesis/node_scripts.h"
#include "nemesis/random.h"

namespace faultline::nemesis {
namespace {

// $1 marker (empty: none), $2 fill script (empty: no grudge), $3 ensure script, $4 flush script.
constexpr std::string_view kApply =
    R"SH(if [ -n "$1" ]; then mark partition "$1"; else unmark partition; fi
if [ -n "$2" ]; then nft_apply "$2" "$3"; else nft_flush "$4"; fi
)SH";
// $1 flush script.
constexpr std::string_view kRemove = R"SH(unmark partition
nft_flush "$1"
)SH";

class PartitionFault : public Fault {
 public:
  PartitionFault(const FaultOptions& options, NemesisContext& context)
      : options_(options), context_(context) {}

  FaultKind kind() const override { return FaultKind::kPartition; }

  void check() override {
    if (context_.names().size() < 2) throw FaultRefused("a partition needs at least 2 nodes");
    if (options_.drops) return;  // names checked with the schedule (check_schedule_nodes)
    if (options_.grudge == GrudgeKind::kPrimaries && !context_.hooks().primaries) {
      throw FaultRefused("the primaries grudge needs a database adapter that names its primaries");
    }
  }

  Operation start(std::mt19937_64& rng) override {
    if (options_.drops) return apply(*options_.drops, options_.grudge);
    const auto names = context_.names();
    GrudgeKind kind = options_.grudge ? *options_.grudge : random_kind(rng, names.size());
    std::vector<std::string> primaries;
    if (kind == GrudgeKind::kPrimaries) primaries = context_.primaries();
    // A random shape around primaries, when the database names none now (or never, as a
    // test file without `primaries`): another shape instead of a refused fault.
    if (!options_.grudge && kind == GrudgeKind::kPrimaries && primaries.empty())
      kind = random_kind(rng, names.size(), false);
    Grudge grudge;
    try {
      grudge = compute_grudge(kind, names, rng, primaries);
    } catch (const std::invalid_argument& e) {
      throw FaultRefused(std::string("partition ") + std::string(to_string(kind)) + ": " +
                         e.what());
    }
    return apply(grudge, kind);
  }

  // Applies `grudge` on every node; `kind` names its shape in the record ("explicit": none).
  Operation apply(const Grudge& grudge, std::optional<GrudgeKind> kind) {
    const auto names = context_.names();
    const std::string shape = kind ? std::string(to_string(*kind)) : std::string("explicit");
    std::map<std::string, std::string> scripts, markers;
    for (const auto& name : names) {
      std::vector<std::string> sources, from;
      if (auto it = grudge.find(name); it != grudge.end()) {
        for (const auto& other : it->second) {
          sources.push_back(context_.address(other));
          from.push_back(other);
        }
      }
      if (!sources.empty()) scripts[name] = nft_set_fill_script(kPartitionTable, sources);
      if (!from.empty()) {
        boost::json::object marker{{"grudge", shape}, {"drops_from", json_strings(from)}};
        markers[name] = boost::json::serialize(marker);
      }
    }
    const std::string ensure = nft_ensure_script(kPartitionTable, true);
    const std::string flush = nft_set_flush_script(kPartitionTable);
    NodeOutcomes outcomes = context_.run_scripts(names, [&](const remote::Node& node) {
      return shell_command(
          std::string(kScriptPrelude) + std::string(kNftFunctions) + std::string(kApply),
          {NemesisContext::state_dir(node), markers[node.name], scripts[node.name], ensure, flush});
    });
    boost::json::object value{{"grudge", shape},
                              {"drops", grudge_to_json(grudge)},
                              {"mechanism", "nft table inet " + std::string(kPartitionTable)}};
    Operation op = context_.record("start-partition", std::move(value), outcomes);
    throw_if_failed("start-partition", outcomes);
    return op;
  }

  Operation stop() override {
    const auto names = context_.names();
    NodeOutcomes outcomes = context_.run_scripts(names, [&](const remote::Node& node) {
      return shell_command(
          std::string(kScriptPrelude) + std::string(kNftFunctions) + std::string(kRemove),
          {NemesisContext::state_dir(node), nft_set_flush_script(kPartitionTable)});
    });
    Operation op = context_.record(
        "stop-partition", boost::json::object{{"healed", json_strings(succeeded(outcomes))}},
        outcomes);
    throw_if_failed("stop-partition", outcomes);
    return op;
  }

 private:
  // A kind that these nodes and hooks support.
  GrudgeKind random_kind(std::mt19937_64& rng, std::size_t node_count,
                         bool with_primaries = true) const {
    std::vector<GrudgeKind> kinds;
    for (GrudgeKind kind : all_grudge_kinds()) {
      if (kind == GrudgeKind::kPrimaries && (!with_primaries || !context_.hooks().primaries))
        continue;
      if (kind == GrudgeKind::kBridge && node_count < 3) continue;
      kinds.push_back(kind);
    }
    return kinds[pick_index(rng, kinds.size())];
  }

  FaultOptions options_;
  NemesisContext& context_;
};

}  // namespace

std::unique_ptr<Fault> make_partition_fault(const FaultOptions& options, NemesisContext& context) {
  return std::make_unique<PartitionFault>(options, context);
}

}  // namespace faultline::nemesis
