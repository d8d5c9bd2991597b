#include "nemesis/packet_spec.h"

#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace faultline::nemesis {
namespace {

std::string number(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

void check_percent(const std::optional<double>& value, const char* name) {
  if (value && !(*value > 0.0 && *value <= 100.0)) {
    throw std::invalid_argument(std::string(name) + " must be a percentage in (0, 100], got " +
                                number(*value));
  }
}

bool valid_rate(const std::string& rate) {
  std::size_t i = 0;
  while (i < rate.size() && std::isdigit(static_cast<unsigned char>(rate[i]))) ++i;
  if (i == 0) return false;
  const std::string unit = rate.substr(i);
  for (const char* ok : {"bit", "kbit", "mbit", "gbit", "bps", "kbps", "mbps", "gbps"}) {
    if (unit == ok) return true;
  }
  return false;
}

}  // namespace

bool PacketSpec::empty() const {
  return !delay_ms && !loss_percent && !duplicate_percent && !reorder_percent && !corrupt_percent &&
         !rate;
}

void PacketSpec::validate() const {
  if (delay_ms && *delay_ms < 0) throw std::invalid_argument("delay must not be negative");
  if (jitter_ms && (*jitter_ms < 0 || !delay_ms)) {
    throw std::invalid_argument("jitter needs a delay and must not be negative");
  }
  if (reorder_percent && !delay_ms) {
    throw std::invalid_argument(
        "reorder needs a delay (netem reorders by sending some packets "
        "without it)");
  }
  check_percent(loss_percent, "loss");
  check_percent(duplicate_percent, "duplicate");
  check_percent(reorder_percent, "reorder");
  check_percent(corrupt_percent, "corrupt");
  if (rate && !valid_rate(*rate)) {
    throw std::invalid_argument("rate must look like 1mbit or 500kbit, got '" + *rate + "'");
  }
}

boost::json::object PacketSpec::to_json() const {
  boost::json::object out;
  if (delay_ms) out["delay_ms"] = *delay_ms;
  if (jitter_ms) out["jitter_ms"] = *jitter_ms;
  if (loss_percent) out["loss_percent"] = *loss_percent;
  if (duplicate_percent) out["duplicate_percent"] = *duplicate_percent;
  if (reorder_percent) out["reorder_percent"] = *reorder_percent;
  if (corrupt_percent) out["corrupt_percent"] = *corrupt_percent;
  if (rate) out["rate"] = *rate;
  return out;
}

std::string PacketSpec::describe() const {
  std::string out;
  auto add = [&](const std::string& part) { out += (out.empty() ? "" : " ") + part; };
  if (delay_ms) add("delay " + number(*delay_ms) + "ms");
  if (jitter_ms) add("jitter " + number(*jitter_ms) + "ms");
  if (loss_percent) add("loss " + number(*loss_percent) + "%");
  if (duplicate_percent) add("duplicate " + number(*duplicate_percent) + "%");
  if (reorder_percent) add("reorder " + number(*reorder_percent) + "%");
  if (corrupt_percent) add("corrupt " + number(*corrupt_percent) + "%");
  if (rate) add("rate " + *rate);
  return out;
}

PacketPlan plan_packet(const PacketSpec& spec, const PacketCapabilities& caps) {
  PacketPlan plan;
  if (caps.netem) {
    std::string words = "netem";
    if (spec.delay_ms) {
      words += " delay " + number(*spec.delay_ms) + "ms";
      if (spec.jitter_ms) words += " " + number(*spec.jitter_ms) + "ms";
    }
    if (spec.loss_percent) words += " loss " + number(*spec.loss_percent) + "%";
    if (spec.duplicate_percent) words += " duplicate " + number(*spec.duplicate_percent) + "%";
    if (spec.reorder_percent) words += " reorder " + number(*spec.reorder_percent) + "%";
    if (spec.corrupt_percent) words += " corrupt " + number(*spec.corrupt_percent) + "%";
    if (spec.rate) words += " rate " + *spec.rate;
    plan.qdisc = words;
    plan.applied = spec.to_json();
    plan.applied["mechanism"] = "tc htb+u32 towards peers, netem (egress)";
    return plan;
  }
  const std::string why =
      " (no netem on this node" + (caps.note.empty() ? "" : ": " + caps.note) + ")";
  if (spec.delay_ms) {
    plan.refused.push_back("delay " + number(*spec.delay_ms) + "ms" + why);
  }
  if (spec.duplicate_percent) {
    plan.refused.push_back("duplicate " + number(*spec.duplicate_percent) + "%" + why);
  }
  if (spec.reorder_percent) {
    plan.refused.push_back("reorder " + number(*spec.reorder_percent) + "%" + why);
  }
  if (spec.corrupt_percent) {
    plan.refused.push_back("corrupt " + number(*spec.corrupt_percent) + "%" + why);
  }
  std::string mechanism;
  if (spec.loss_percent) {
    if (caps.nft) {
      plan.nft_loss = *spec.loss_percent / 100.0;
      plan.applied["loss_percent"] = *spec.loss_percent;
      mechanism = "loss: nft random drop of packets arriving from peers (ingress)";
    } else {
      plan.refused.push_back("loss " + number(*spec.loss_percent) + "% (neither netem nor nft)");
    }
  }
  if (spec.rate) {
    if (caps.tc) {
      plan.htb_rate = *spec.rate;
      plan.qdisc = "pfifo";  // the htb class shapes; a plain queue under it
      plan.applied["rate"] = *spec.rate;
      mechanism +=
          std::string(mechanism.empty() ? "" : "; ") + "rate: tc htb class towards peers (egress)";
    } else {
      plan.refused.push_back("rate " + *spec.rate + " (no tc on this node)");
    }
  }
  if (!mechanism.empty()) plan.applied["mechanism"] = mechanism;
  return plan;
}

double parse_percent(const std::string& text) {
  std::string digits = text;
  if (!digits.empty() && digits.back() == '%') digits.pop_back();
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(digits, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != digits.size() || !(value > 0.0 && value <= 100.0)) {
    throw std::invalid_argument("expected a percentage in (0, 100] like 30 or 30%, got '" + text +
                                "'");
  }
  return value;
}

}  // namespace faultline::nemesis
