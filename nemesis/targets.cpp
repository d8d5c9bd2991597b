#include "nemesis/targets.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "nemesis/random.h"

namespace faultline::nemesis {
namespace {

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find(',', begin);
    if (end == std::string_view::npos) end = text.size();
    if (end > begin) out.emplace_back(text.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

std::vector<std::string> random_subset(const std::vector<std::string>& nodes, std::size_t count,
                                       std::mt19937_64& rng) {
  std::vector<std::string> shuffled = nodes;
  seeded_shuffle(shuffled, rng);
  std::set<std::string> chosen(shuffled.begin(),
                               shuffled.begin() + static_cast<std::ptrdiff_t>(count));
  std::vector<std::string> out;
  for (const auto& node : nodes) {
    if (chosen.contains(node)) out.push_back(node);
  }
  return out;
}

}  // namespace

std::string TargetSpec::to_string() const {
  switch (kind) {
    case Kind::kOne:
      return "one";
    case Kind::kMinority:
      return "minority";
    case Kind::kMajority:
      return "majority";
    case Kind::kAll:
      return "all";
    case Kind::kPrimaries:
      return "primaries";
    case Kind::kNamed: {
      std::string out;
      for (const auto& name : names) out += (out.empty() ? "" : ",") + name;
      return out;
    }
  }
  return "?";
}

TargetSpec parse_target(std::string_view text) {
  TargetSpec spec;
  if (text == "one") {
    spec.kind = TargetSpec::Kind::kOne;
  } else if (text == "minority") {
    spec.kind = TargetSpec::Kind::kMinority;
  } else if (text == "majority") {
    spec.kind = TargetSpec::Kind::kMajority;
  } else if (text == "all") {
    spec.kind = TargetSpec::Kind::kAll;
  } else if (text == "primaries") {
    spec.kind = TargetSpec::Kind::kPrimaries;
  } else {
    spec.kind = TargetSpec::Kind::kNamed;
    spec.names = split_commas(text);
    if (spec.names.empty()) {
      throw std::invalid_argument(
          "empty target (expected one, minority, majority, all, primaries or node names)");
    }
  }
  return spec;
}

std::vector<std::string> select_targets(const TargetSpec& spec,
                                        const std::vector<std::string>& nodes, std::mt19937_64& rng,
                                        const std::vector<std::string>& primaries) {
  if (nodes.empty()) throw std::invalid_argument("no nodes to choose targets from");
  const std::size_t n = nodes.size();
  switch (spec.kind) {
    case TargetSpec::Kind::kOne:
      return {nodes[pick_index(rng, n)]};
    case TargetSpec::Kind::kMinority:
      return random_subset(nodes, std::max<std::size_t>(1, (n - 1) / 2), rng);
    case TargetSpec::Kind::kMajority:
      return random_subset(nodes, n / 2 + 1, rng);
    case TargetSpec::Kind::kAll:
      return nodes;
    case TargetSpec::Kind::kPrimaries: {
      std::vector<std::string> out;
      for (const auto& node : nodes) {
        if (std::find(primaries.begin(), primaries.end(), node) != primaries.end()) {
          out.push_back(node);
        }
      }
      if (out.empty()) {
        throw std::invalid_argument(
            "target 'primaries' needs a database adapter that names its primaries");
      }
      return out;
    }
    case TargetSpec::Kind::kNamed: {
      for (const auto& name : spec.names) {
        if (std::find(nodes.begin(), nodes.end(), name) == nodes.end()) {
          throw std::invalid_argument("target node '" + name + "' is not one of the nodes");
        }
      }
      std::vector<std::string> out;
      for (const auto& node : nodes) {
        if (std::find(spec.names.begin(), spec.names.end(), node) != spec.names.end()) {
          out.push_back(node);
        }
      }
      return out;
    }
  }
  return {};
}

}  // namespace faultline::nemesis
