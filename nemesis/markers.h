#pragma once
// Reading the markers of active faults that each node keeps in state_dir/active/<kind>.json
// (written by the faults' node-side scripts, one JSON object per line).

#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "nemesis/context.h"

namespace faultline::nemesis {

// node -> kind -> marker. Nodes that failed are reported in `outcomes` (if given) and absent.
using Markers = std::map<std::string, std::map<std::string, boost::json::value>>;

Markers read_markers(NemesisContext& context, const std::vector<std::string>& names,
                     NodeOutcomes* outcomes = nullptr);

// Parses the output of the marker-listing script ("kind<TAB>json" lines); unparsable lines
// are kept as strings so nothing is lost.
std::map<std::string, boost::json::value> parse_marker_listing(const std::string& text);

}  // namespace faultline::nemesis
