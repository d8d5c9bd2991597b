#pragma once
// A fault: something the nemesis does to the nodes and later undoes. Each kind is a small type
// with start (apply) and stop (heal); both act on all the run's nodes in parallel over their
// SSH sessions, record one history operation (`start-<kind>` / `stop-<kind>`, process nemesis,
// type info) through the context's recorder, and return it so a caller can print what
// happened on each node.
//
// stop() does not rely on memory of the start: it undoes the kind wherever the nodes' markers
// (or faultline's own rules and qdiscs) say it is applied, so `faultline nemesis stop KIND`
// works in a later process than the one that started it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "checker/history/operation.h"
#include "nemesis/clock_support.h"
#include "nemesis/context.h"
#include "nemesis/grudge.h"
#include "nemesis/packet_spec.h"
#include "nemesis/targets.h"

namespace faultline::nemesis {

enum class FaultKind { kPartition, kClock, kKill, kPause, kPacket, kCrash };

std::string_view to_string(FaultKind kind);
std::optional<FaultKind> parse_fault_kind(std::string_view name);
const std::vector<FaultKind>& all_fault_kinds();

enum class ClockMode { kBump, kStrobe };

// Options of every kind; a kind reads only its own. Unset choices are drawn from the seeded
// random generator at each start.
struct FaultOptions {
  std::optional<GrudgeKind> grudge;  // partition
  // partition: exactly these drops (an explicit schedule, explicit_schedule.h); `grudge` then
  // only names the shape in the record.
  std::optional<Grudge> drops;
  std::optional<TargetSpec> target;  // clock, kill, pause, packet
  // clock
  std::optional<ClockMode> clock_mode;
  ClockStrategy clock_strategy = ClockStrategy::kAuto;
  std::optional<std::int64_t> offset_ms;  // bump size (signed) or strobe amplitude
  std::int64_t strobe_period_ms = 200;
  std::int64_t strobe_duration_ms = 2'000;
  std::int64_t max_random_offset_ms = 60'000;  // |offset| when drawn at random
  // packet
  PacketSpec packet;  // empty: a random loss
};

class Fault {
 public:
  virtual ~Fault() = default;
  virtual FaultKind kind() const = 0;
  // Checks, before anything is applied, that the fault can take effect on these nodes with
  // these options; throws FaultRefused saying why not. May probe the nodes.
  virtual void check() {}
  // Applies the fault; throws FaultFailed (after recording) if some node failed.
  virtual Operation start(std::mt19937_64& rng) = 0;
  // Undoes the kind on every node; throws FaultFailed (after recording) if some node failed.
  virtual Operation stop() = 0;
  // Called by the schedule about every kObservePeriod while this fault is in force. A fault
  // that changes something measurable over time records a nemesis operation of its own (the
  // clock: `clock-offsets`, what each node's clock shows) and returns it; the default does
  // nothing. Must not throw for a node that fails to answer (the record says so).
  virtual std::optional<Operation> observe() { return std::nullopt; }
};

inline constexpr std::chrono::milliseconds kObservePeriod{1000};

std::unique_ptr<Fault> make_fault(FaultKind kind, const FaultOptions& options,
                                  NemesisContext& context);

// Heals every fault faultline may have left on the context's nodes, whatever process applied
// it: stops each kind in turn (partition, packet, pause, clock, kill), which removes
// faultline's nft tables and tc qdiscs even without a marker, resumes paused processes,
// resets clock offsets and restarts killed processes as the markers say. Every kind is tried
// even if an earlier one failed; then throws FaultFailed naming each failure. Returns the
// `stop-<kind>` operations it recorded.
std::vector<Operation> heal_all(NemesisContext& context);

}  // namespace faultline::nemesis
