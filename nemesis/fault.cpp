#include "nemesis/fault.h"

#include "nemesis/errors.h"
#include "nemesis/fault_kinds.h"

namespace faultline::nemesis {
namespace {

struct KindName {
  FaultKind kind;
  std::string_view name;
};
constexpr KindName kKindNames[] = {
    {FaultKind::kPartition, "partition"}, {FaultKind::kClock, "clock"},
    {FaultKind::kKill, "kill"},           {FaultKind::kPause, "pause"},
    {FaultKind::kPacket, "packet"},       {FaultKind::kCrash, "crash"},
};

}  // namespace

std::string_view to_string(FaultKind kind) {
  for (const auto& kn : kKindNames) {
    if (kn.kind == kind) return kn.name;
  }
  return "?";
}

std::optional<FaultKind> parse_fault_kind(std::string_view name) {
  for (const auto& kn : kKindNames) {
    if (kn.name == name) return kn.kind;
  }
  return std::nullopt;
}

const std::vector<FaultKind>& all_fault_kinds() {
  static const std::vector<FaultKind> kinds = [] {
    std::vector<FaultKind> out;
    for (const auto& kn : kKindNames) out.push_back(kn.kind);
    return out;
  }();
  return kinds;
}

std::unique_ptr<Fault> make_fault(FaultKind kind, const FaultOptions& options,
                                  NemesisContext& context) {
  switch (kind) {
    case FaultKind::kPartition:
      return make_partition_fault(options, context);
    case FaultKind::kClock:
      return make_clock_fault(options, context);
    case FaultKind::kKill:
    case FaultKind::kPause:
      return make_process_fault(kind, options, context);
    case FaultKind::kPacket:
      return make_packet_fault(options, context);
    case FaultKind::kCrash:
      return make_crash_fault(options, context);
  }
  throw std::invalid_argument("unknown fault kind");
}

void throw_if_failed(const std::string& f, const NodeOutcomes& outcomes) {
  std::string failures = describe_failures(outcomes);
  if (!failures.empty()) throw FaultFailed(f + " failed on " + failures);
}

boost::json::array json_strings(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

}  // namespace faultline::nemesis
