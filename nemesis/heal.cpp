#include "nemesis/errors.h"
#include "nemesis/fault.h"
#include "nemesis/fault_kinds.h"
#include "nemesis/firewall.h"
#include "nemesis/node_scripts.h"

namespace faultline::nemesis {
namespace {

// After every kind is stopped: delete faultline's nft tables (the stops only empty them) and
// the empty markers. $1, $2: the tables' delete scripts.
constexpr std::string_view kCleanup = R"SH(if command -v nft >/dev/null 2>&1; then
  nft "$1$2"
fi
for f in "$d"/active/*.json; do
  if [ -e "$f" ] && [ ! -s "$f" ]; then rm -f "$f"; fi
done
)SH";

}  // namespace

std::vector<Operation> heal_all(NemesisContext& context) {
  std::vector<Operation> ops;
  std::string failures;
  const FaultOptions options;
  for (FaultKind kind : {FaultKind::kPartition, FaultKind::kPacket, FaultKind::kPause,
                         FaultKind::kClock, FaultKind::kKill, FaultKind::kCrash}) {
    try {
      ops.push_back(make_fault(kind, options, context)->stop());
    } catch (const std::exception& e) {
      failures += (failures.empty() ? "" : "; ") + std::string(e.what());
    }
  }
  NodeOutcomes cleanup = context.run_scripts(context.names(), [](const remote::Node& node) {
    return shell_command(std::string(kScriptPrelude) + std::string(kCleanup),
                         {NemesisContext::state_dir(node), nft_delete_script(kPartitionTable),
                          nft_delete_script(kPacketTable)});
  });
  try {
    throw_if_failed("removing faultline's nft tables", cleanup);
  } catch (const std::exception& e) {
    failures += (failures.empty() ? "" : "; ") + std::string(e.what());
  }
  if (!failures.empty()) throw FaultFailed("heal incomplete: " + failures);
  return ops;
}

}  // namespace faultline::nemesis
