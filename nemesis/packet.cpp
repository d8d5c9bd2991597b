// The packet fault: delay, loss, duplication, reordering, corruption or a rate limit on the
// traffic between target nodes and their peers (every other node). See packet_spec.h for what
// is applied with and without netem.

#include "nemesis/errors.h"
#include "nemesis/fault_kinds.h"
#include "nemesis/firewall.h"
#include "nemesis/node_scripts.h"
#include "nemesis/packet_scripts.h"
#include "nemesis/random.h"

namespace faultline::nemesis {
namespace {

class PacketFault : public Fault {
 public:
  PacketFault(const FaultOptions& options, NemesisContext& context)
      : options_(options), context_(context) {}

  FaultKind kind() const override { return FaultKind::kPacket; }

  void check() override {
    try {
      options_.packet.validate();
    } catch (const std::invalid_argument& e) {
      throw FaultRefused(std::string("packet fault: ") + e.what());
    }
    if (context_.names().size() < 2) throw FaultRefused("a packet fault needs at least 2 nodes");
    probe();
    if (options_.packet.empty()) return;  // random behaviours are drawn among what works
    for (const auto& [name, caps] : caps_) {
      PacketPlan plan = plan_packet(options_.packet, caps);
      if (plan.applied.empty()) {
        std::string why;
        for (const auto& r : plan.refused) why += (why.empty() ? "" : ", ") + r;
        throw FaultRefused("packet fault: nothing of '" + options_.packet.describe() +
                           "' can be applied on " + name + ": " + why);
      }
    }
  }

  Operation start(std::mt19937_64& rng) override {
    probe();
    const auto names = context_.names();
    const auto targets =
        select_targets(options_.target.value_or(TargetSpec{}), names, rng, context_.primaries());
    PacketSpec spec = options_.packet.empty() ? random_spec(rng, targets) : options_.packet;
    spec.validate();
    std::map<std::string, PacketPlan> plans;
    std::map<std::string, std::vector<std::string>> peers;
    for (const auto& target : targets) {
      plans[target] = plan_packet(spec, caps_.at(target));
      for (const auto& name : names) {
        if (name != target) peers[target].push_back(name);
      }
    }
    NodeOutcomes outcomes = context_.run_scripts(targets, [&](const remote::Node& node) {
      const PacketPlan& plan = plans.at(node.name);
      std::vector<std::string> addresses;
      for (const auto& peer : peers.at(node.name)) addresses.push_back(context_.address(peer));
      boost::json::object marker{{"spec", spec.to_json()},
                                 {"applied", plan.applied},
                                 {"peers", json_strings(peers.at(node.name))}};
      std::vector<std::string> args{
          NemesisContext::state_dir(node),
          boost::json::serialize(marker),
          plan.nft_loss ? nft_rules_fill_script(kPacketTable, addresses, *plan.nft_loss)
                        : std::string(),
          nft_ensure_script(kPacketTable, false),
          plan.htb_rate,
          plan.qdisc};
      args.insert(args.end(), addresses.begin(), addresses.end());
      return shell_command(std::string(kScriptPrelude) + std::string(kNftFunctions) +
                               std::string(kApplyPacketScript),
                           std::move(args));
    });
    boost::json::object per_node;
    for (const auto& target : targets) {
      const PacketPlan& plan = plans.at(target);
      per_node[target] = boost::json::object{{"peers", json_strings(peers.at(target))},
                                             {"applied", plan.applied},
                                             {"refused", json_strings(plan.refused)}};
    }
    boost::json::object value{{"requested", spec.to_json()},
                              {"targets", json_strings(targets)},
                              {"nodes", std::move(per_node)}};
    Operation op = context_.record("start-packet", std::move(value), outcomes);
    throw_if_failed("start-packet", outcomes);
    return op;
  }

  Operation stop() override {
    NodeOutcomes outcomes = context_.run_scripts(context_.names(), [&](const remote::Node& node) {
      return shell_command(std::string(kScriptPrelude) + std::string(kNftFunctions) +
                               std::string(kRemovePacketScript),
                           {NemesisContext::state_dir(node), nft_rules_flush_script(kPacketTable)});
    });
    Operation op = context_.record(
        "stop-packet", boost::json::object{{"healed", json_strings(succeeded(outcomes))}},
        outcomes);
    throw_if_failed("stop-packet", outcomes);
    return op;
  }

 private:
  void probe() {
    if (!caps_.empty()) return;
    NodeOutcomes outcomes = context_.run_scripts(context_.names(), [](const remote::Node&) {
      return shell_command(std::string(kProbePacketScript), {});
    });
    throw_if_failed("probing tc/netem/nft", outcomes);
    for (const auto& [name, outcome] : outcomes) {
      PacketCapabilities caps;
      std::size_t begin = 0;
      const std::string& out = outcome.out;
      while (begin < out.size()) {
        std::size_t end = out.find('\n', begin);
        if (end == std::string::npos) end = out.size();
        std::string line = out.substr(begin, end - begin);
        if (line == "netem") caps.netem = true;
        if (line == "tc") caps.tc = true;
        if (line == "nft") caps.nft = true;
        if (line.rfind("no-netem: ", 0) == 0) caps.note = line.substr(10);
        begin = end + 1;
      }
      caps_[name] = caps;
    }
  }

  // One behaviour (after Jepsen's defaults) that every target can take.
  PacketSpec random_spec(std::mt19937_64& rng, const std::vector<std::string>& targets) const {
    bool netem = true;
    for (const auto& target : targets) netem = netem && caps_.at(target).netem;
    std::vector<PacketSpec> choices;
    PacketSpec loss;
    loss.loss_percent = 20;
    choices.push_back(loss);
    PacketSpec rate;
    rate.rate = "1mbit";
    choices.push_back(rate);
    if (netem) {
      PacketSpec delay;
      delay.delay_ms = 50;
      delay.jitter_ms = 10;
      choices.push_back(delay);
      PacketSpec duplicate;
      duplicate.duplicate_percent = 20;
      choices.push_back(duplicate);
      PacketSpec reorder;
      reorder.delay_ms = 10;
      reorder.reorder_percent = 20;
      choices.push_back(reorder);
      PacketSpec corrupt;
      corrupt.corrupt_percent = 20;
      choices.push_back(corrupt);
    }
    return choices[pick_index(rng, choices.size())];
  }

  FaultOptions options_;
  NemesisContext& context_;
  std::map<std::string, PacketCapabilities> caps_;
};

}  // namespace

std::unique_ptr<Fault> make_packet_fault(const FaultOptions& options, NemesisContext& context) {
  return std::make_unique<PacketFault>(options, context);
}

}  // namespace faultline::nemesis
