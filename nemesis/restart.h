#pragma once
// Restarting the processes a kill (or crash) fault killed, wherever a node's kill marker says so:
// with the adapter's restart command when there is an adapter, else with the command the marker
// kept. Shared by stop-kill and heal.

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "nemesis/context.h"

namespace faultline::nemesis {

struct RestartResult {
  NodeOutcomes outcomes;               // nodes that had a kill marker (or could not be read)
  std::vector<std::string> restarted;  // nodes whose restart command succeeded, in name order
};

// `marker`: the kind whose marker names the killed processes ("kill", or "crash" for the
// coordinated crash).
RestartResult restart_killed(NemesisContext& context, const std::vector<std::string>& names,
                             const std::string& marker = "kill");

}  // namespace faultline::nemesis
