#include "nemesis/markers.h"

#include <sstream>

#include "nemesis/node_scripts.h"

namespace faultline::nemesis {
namespace {

constexpr std::string_view kListMarkers = R"SH(for f in "$d"/active/*.json; do
  [ -s "$f" ] || continue
  k=${f##*/}
  printf '%s\t%s\n' "${k%.json}" "$(cat "$f")"
done
)SH";

}  // namespace

std::map<std::string, boost::json::value> parse_marker_listing(const std::string& text) {
  std::map<std::string, boost::json::value> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string kind = line.substr(0, tab), body = line.substr(tab + 1);
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(body, ec);
    out[kind] = ec ? boost::json::value(body) : std::move(value);
  }
  return out;
}

Markers read_markers(NemesisContext& context, const std::vector<std::string>& names,
                     NodeOutcomes* outcomes_out) {
  NodeOutcomes outcomes = context.run_scripts(names, [](const remote::Node& node) {
    return shell_command(std::string(kScriptPrelude) + std::string(kListMarkers),
                         {NemesisContext::state_dir(node)});
  });
  Markers markers;
  for (const auto& [name, outcome] : outcomes) {
    if (outcome.ok) markers[name] = parse_marker_listing(outcome.out);
  }
  if (outcomes_out) *outcomes_out = std::move(outcomes);
  return markers;
}

}  // namespace faultline::nemesis
