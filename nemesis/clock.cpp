// The clock fault: bump (add a signed offset to target nodes' clocks), strobe (flip between
// the offset and none every period for a duration) and reset (stop). Strategies and their
// limits are described in clock_support.h; the offsets a faketime'd process and the node's
// system clock show are measured on each node just before and after every change.

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "nemesis/clock_scripts.h"
#include "nemesis/errors.h"
#include "nemesis/faketime.h"
#include "nemesis/fault_kinds.h"
#include "nemesis/node_scripts.h"
#include "nemesis/random.h"

namespace faultline::nemesis {
namespace {

std::string controller_boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

std::int64_t system_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Parses the "before"/"after"/"now" lines of a clock script into offsets (ms): the faketime'd
// clock against the node's system clock (exact), and the node's system clock against the
// controller's (within half the command's round trip).
boost::json::object parse_measurements(const std::string& out, std::int64_t controller_mid_ns) {
  boost::json::object result;
  std::istringstream lines(out);
  std::string label, system_ns, faked_ns;
  while (lines >> label >> system_ns >> faked_ns) {
    if (label != "before" && label != "after" && label != "now") continue;
    boost::json::object m;
    try {
      const std::int64_t sys = std::stoll(system_ns);
      m["system_offset_ms"] = static_cast<double>(sys - controller_mid_ns) / 1e6;
      if (faked_ns != "-") {
        m["faketime_offset_ms"] = static_cast<double>(std::stoll(faked_ns) - sys) / 1e6;
      }
    } catch (const std::exception&) {
      continue;
    }
    result[label] = std::move(m);
  }
  return result;
}

class ClockFault : public Fault {
 public:
  ClockFault(const FaultOptions& options, NemesisContext& context)
      : options_(options), context_(context) {}

  FaultKind kind() const override { return FaultKind::kClock; }

  void check() override {
    if (strategy_) return;
    const auto& decl = context_.hooks().clock;
    if (decl.support == ClockSkewSupport::kNone) {
      throw FaultRefused("clock faults cannot reach " + decl.who + ": " + decl.reason);
    }
    NodeOutcomes probe = context_.run_scripts(context_.names(), [](const remote::Node&) {
      return shell_command(std::string(kClockProbeScript), {kLibfaketimePath});
    });
    throw_if_failed("probing clocks", probe);
    const std::string own_boot = controller_boot_id();
    std::vector<std::string> sharing;  // nodes on the controller's kernel
    bool all_have_lib = true, all_have_cc = true;
    for (const auto& [name, outcome] : probe) {
      const bool same_kernel =
          context_.node(name).local || outcome.out.find("boot_id " + own_boot) != std::string::npos;
      if (same_kernel) sharing.push_back(name);
      all_have_lib = all_have_lib && outcome.out.find("faketime-lib") != std::string::npos;
      all_have_cc = all_have_cc && outcome.out.find("\ncc") != std::string::npos;
    }
    ClockStrategy strategy = options_.clock_strategy;
    if (strategy == ClockStrategy::kAuto) {
      strategy = sharing.empty() ? ClockStrategy::kSystem : ClockStrategy::kFaketime;
    }
    if (strategy == ClockStrategy::kSystem) {
      if (!sharing.empty()) {
        std::string list;
        for (const auto& n : sharing) list += (list.empty() ? "" : ",") + n;
        throw FaultRefused("the system clock strategy is refused: node(s) " + list +
                           " share this machine's kernel, and faultline never changes the "
                           "controller's clock (use --clock-strategy faketime)");
      }
      if (decl.support == ClockSkewSupport::kNone) {
        throw FaultRefused("clock faults cannot reach " + decl.who + ": " + decl.reason);
      }
      if (!all_have_cc) {
        throw FaultRefused(
            "the system clock strategy compiles a small helper on each node, "
            "but some node has no C compiler (cc); install gcc there");
      }
    } else {
      if (decl.support != ClockSkewSupport::kFaketimeAndSystem) {
        throw FaultRefused("the faketime clock strategy cannot reach " + decl.who + ": " +
                           decl.reason +
                           (sharing.empty() ? " (use --clock-strategy system)"
                                            : " (and these nodes share this machine's kernel, so "
                                              "the system strategy is refused too)"));
      }
      if (!all_have_lib) {
        throw FaultRefused(std::string("the faketime clock strategy needs libfaketime at ") +
                           kLibfaketimePath + " on every node (Debian package libfaketime)");
      }
    }
    strategy_ = strategy;
  }

  Operation start(std::mt19937_64& rng) override {
    check();
    const auto names = context_.names();
    const auto targets =
        select_targets(options_.target.value_or(TargetSpec{}), names, rng, context_.primaries());
    const ClockMode mode = options_.clock_mode
                               ? *options_.clock_mode
                               : (pick_index(rng, 2) == 0 ? ClockMode::kBump : ClockMode::kStrobe);
    std::int64_t offset = options_.offset_ms ? *options_.offset_ms : random_offset(rng);
    if (*strategy_ == ClockStrategy::kSystem) install_helper(targets);

    boost::json::object value{{"strategy", to_string(*strategy_)},
                              {"mode", mode == ClockMode::kBump ? "bump" : "strobe"},
                              {"offset_ms", offset},
                              {"targets", json_strings(targets)}};
    NodeOutcomes outcomes;
    boost::json::object per_node;
    if (mode == ClockMode::kBump) {
      outcomes = bump(targets, offset, per_node, true, true);
    } else {
      value["period_ms"] = options_.strobe_period_ms;
      value["duration_ms"] = options_.strobe_duration_ms;
      const auto period =
          std::chrono::milliseconds(std::max<std::int64_t>(options_.strobe_period_ms, 1));
      const auto end =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.strobe_duration_ms);
      int flips = 0;
      // Pairs of flips (+offset, then back), so the strobe ends where it began.
      do {
        outcomes = bump(targets, offset, per_node, flips == 0, false);
        if (!succeeded_all(outcomes)) break;
        std::this_thread::sleep_for(period);
        outcomes = bump(targets, -offset, per_node, false,
                        std::chrono::steady_clock::now() + period >= end);
        flips += 2;
        if (!succeeded_all(outcomes)) break;
        if (std::chrono::steady_clock::now() + period < end) std::this_thread::sleep_for(period);
      } while (std::chrono::steady_clock::now() < end);
      value["flips"] = flips;
    }
    value["nodes"] = std::move(per_node);
    Operation op = context_.record("start-clock", std::move(value), outcomes);
    throw_if_failed("start-clock", outcomes);
    return op;
  }

  // What every node's clock shows now (parse_measurements' "now"), as `clock-offsets`.
  std::optional<Operation> observe() override {
    const auto names = context_.names();
    const std::int64_t before = system_now_ns();
    NodeOutcomes outcomes = context_.run_scripts(names, [](const remote::Node& node) {
      return shell_command(
          std::string(kScriptPrelude) + std::string(kClockFunctions) + "lib=$1\nmeasure now\n",
          {NemesisContext::state_dir(node), kLibfaketimePath});
    });
    const std::int64_t mid = before + (system_now_ns() - before) / 2;
    boost::json::object offsets;
    for (const auto& [name, outcome] : outcomes) {
      if (!outcome.ok) continue;
      boost::json::object m = parse_measurements(outcome.out, mid);
      if (auto* now = m.if_contains("now")) offsets[name] = *now;
    }
    return context_.record("clock-offsets", boost::json::object{{"offsets", std::move(offsets)}},
                           outcomes);
  }

  Operation stop() override {
    const auto names = context_.names();
    const std::int64_t before = system_now_ns();
    NodeOutcomes outcomes = context_.run_scripts(names, [](const remote::Node& node) {
      return shell_command(std::string(kScriptPrelude) + std::string(kClockFunctions) +
                               std::string(kClockResetScript),
                           {NemesisContext::state_dir(node), kLibfaketimePath});
    });
    const std::int64_t mid = before + (system_now_ns() - before) / 2;
    boost::json::object per_node;
    for (const auto& [name, outcome] : outcomes) {
      if (outcome.ok) per_node[name] = parse_measurements(outcome.out, mid);
    }
    Operation op = context_.record("stop-clock",
                                   boost::json::object{{"reset", std::move(per_node)}}, outcomes);
    throw_if_failed("stop-clock", outcomes);
    return op;
  }

 private:
  static bool succeeded_all(const NodeOutcomes& outcomes) {
    for (const auto& [name, outcome] : outcomes) {
      if (!outcome.ok) return false;
    }
    return true;
  }

  std::int64_t random_offset(std::mt19937_64& rng) const {
    const std::int64_t max = std::max<std::int64_t>(options_.max_random_offset_ms, 2);
    std::int64_t magnitude =
        1 + static_cast<std::int64_t>(pick_index(rng, static_cast<std::size_t>(max)));
    return pick_index(rng, 2) == 0 ? magnitude : -magnitude;
  }

  // Adds `delta` to the targets' skew; keeps the "before" measurement of the first call and
  // the "after" of the last in per_node.
  NodeOutcomes bump(const std::vector<std::string>& targets, std::int64_t delta,
                    boost::json::object& per_node, bool keep_before, bool keep_after) {
    const std::int64_t before = system_now_ns();
    NodeOutcomes outcomes = context_.run_scripts(targets, [&](const remote::Node& node) {
      return shell_command(std::string(kScriptPrelude) + std::string(kClockFunctions) +
                               std::string(kClockBumpScript),
                           {NemesisContext::state_dir(node), std::string(to_string(*strategy_)),
                            std::to_string(delta), kLibfaketimePath});
    });
    const std::int64_t mid = before + (system_now_ns() - before) / 2;
    for (const auto& [name, outcome] : outcomes) {
      if (!outcome.ok) continue;
      boost::json::object m = parse_measurements(outcome.out, mid);
      auto& slot = per_node[name];
      if (!slot.is_object()) slot = boost::json::object{};
      if (keep_before && m.contains("before")) slot.as_object()["before"] = m["before"];
      if (keep_after && m.contains("after")) slot.as_object()["after"] = m["after"];
    }
    return outcomes;
  }

  void install_helper(const std::vector<std::string>& targets) {
    NodeOutcomes outcomes = context_.run_scripts(targets, [](const remote::Node& node) {
      const std::string dir = NemesisContext::state_dir(node);
      return shell_command(
          "set -e; mkdir -p \"$1\"; printf '%s' \"$2\" > \"$1/faultline-clock.c\"; "
          "cc -O2 -o \"$1/faultline-clock\" \"$1/faultline-clock.c\"",
          {dir, std::string(kClockHelperSource)}, std::chrono::seconds(60));
    });
    throw_if_failed("installing the clock helper", outcomes);
  }

  FaultOptions options_;
  NemesisContext& context_;
  std::optional<ClockStrategy> strategy_;
};

}  // namespace

std::string_view to_string(ClockStrategy strategy) {
  switch (strategy) {
    case ClockStrategy::kAuto:
      return "auto";
    case ClockStrategy::kFaketime:
      return "faketime";
    case ClockStrategy::kSystem:
      return "system";
  }
  return "?";
}

ClockStrategy parse_clock_strategy(std::string_view text) {
  if (text == "auto") return ClockStrategy::kAuto;
  if (text == "faketime") return ClockStrategy::kFaketime;
  if (text == "system") return ClockStrategy::kSystem;
  throw std::invalid_argument("unknown clock strategy '" + std::string(text) +
                              "' (expected auto, faketime or system)");
}

std::unique_ptr<Fault> make_clock_fault(const FaultOptions& options, NemesisContext& context) {
  return std::make_unique<ClockFault>(options, context);
}

}  // namespace faultline::nemesis
