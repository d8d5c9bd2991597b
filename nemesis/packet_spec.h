#pragma once
// What a packet fault should do to traffic between a target node and its peers. Percentages
// are 0..100, as tc netem writes them. Where the node's kernel has netem, every field is
// applied with netem on the target's egress towards its peers (htb + u32 filters select the
// peers); where it has not, only `loss` (an nft random drop of packets arriving from the peers)
// and `rate` (an htb class towards the peers) can be applied, and the rest is refused.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace faultline::nemesis {

struct PacketSpec {
  std::optional<double> delay_ms;
  std::optional<double> jitter_ms;  // with delay
  std::optional<double> loss_percent;
  std::optional<double> duplicate_percent;
  std::optional<double> reorder_percent;  // needs delay (netem reorders by not delaying some)
  std::optional<double> corrupt_percent;
  std::optional<std::string> rate;  // tc rate, e.g. "1mbit", "500kbit"

  bool empty() const;
  // Throws std::invalid_argument for a percentage outside (0, 100], a negative delay, a rate
  // that is not <digits><unit>, jitter or reorder without delay.
  void validate() const;
  boost::json::object to_json() const;
  std::string describe() const;  // "delay 50ms jitter 10ms loss 20%"
};

// What a node's kernel and tools can do.
struct PacketCapabilities {
  bool netem = false;
  bool tc = false;
  bool nft = false;
  std::string note;  // why netem is missing, as the probe saw it
};

// How a spec splits on a node with these capabilities.
struct PacketPlan {
  std::string qdisc;                 // child qdisc words under htb class fa17:2; empty: none
  std::string htb_rate = "100gbit";  // rate of class fa17:2
  std::optional<double> nft_loss;    // probability for the nft drop; nullopt: none
  boost::json::object applied;       // field -> value, plus "mechanism"
  std::vector<std::string> refused;  // "delay 50ms (no netem in this kernel: ...)"
};

PacketPlan plan_packet(const PacketSpec& spec, const PacketCapabilities& caps);

// Parses "30", "30%" as a percentage in (0, 100]; throws std::invalid_argument.
double parse_percent(const std::string& text);

}  // namespace faultline::nemesis
