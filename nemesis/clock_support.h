#pragma once
// Whether a database's processes can be clock-skewed, declared by its adapter.
//
// Two strategies change what a process reads as the time:
//   system    a helper on the node calls clock_settime (NTP stopped for the run). Reaches every
//             process, but changes the machine's clock: refused on nodes that share the
//             controller's kernel (the local cluster).
//   faketime  the database is started under libfaketime (faketime_launch_argv) and the nemesis
//             rewrites its control file. Reaches glibc programs that read time through libc
//             (PostgreSQL), not Go programs (etcd reads the vDSO), and some programs misbehave
//             under it (Debian's redis-server hangs at start).
// A clock fault whose strategy cannot reach the database is refused before the run starts.

#include <string>
#include <string_view>

namespace faultline::nemesis {

enum class ClockSkewSupport {
  kFaketimeAndSystem,  // started under libfaketime and honours it; the system clock works too
  kSystemOnly,         // only a change of the system clock reaches the processes
  kNone,               // no clock fault can reach them
};

struct ClockSkewDeclaration {
  ClockSkewSupport support = ClockSkewSupport::kFaketimeAndSystem;
  std::string who = "the processes started with faultline's faketime launcher";  // for messages
  std::string reason;  // why not, when support is not kFaketimeAndSystem
};

// Adapters implement this (or fill NemesisHooks::clock directly).
class ClockSkewable {
 public:
  virtual ~ClockSkewable() = default;
  virtual ClockSkewDeclaration clock_skew() const = 0;
};

enum class ClockStrategy { kAuto, kFaketime, kSystem };
std::string_view to_string(ClockStrategy strategy);
// "auto" | "faketime" | "system"; throws std::invalid_argument otherwise.
ClockStrategy parse_clock_strategy(std::string_view text);

}  // namespace faultline::nemesis
