#pragma once
// The factories behind make_fault, one per kind (each in its own source file).

#include <memory>

#include "nemesis/fault.h"

namespace faultline::nemesis {

std::unique_ptr<Fault> make_partition_fault(const FaultOptions& options, NemesisContext& context);
std::unique_ptr<Fault> make_clock_fault(const FaultOptions& options, NemesisContext& context);
std::unique_ptr<Fault> make_process_fault(FaultKind kind, const FaultOptions& options,
                                          NemesisContext& context);
std::unique_ptr<Fault> make_packet_fault(const FaultOptions& options, NemesisContext& context);
std::unique_ptr<Fault> make_crash_fault(const FaultOptions& options, NemesisContext& context);

// Throws FaultFailed("<f> failed on ...") if any node failed.
void throw_if_failed(const std::string& f, const NodeOutcomes& outcomes);

// JSON array of strings.
boost::json::array json_strings(const std::vector<std::string>& items);

}  // namespace faultline::nemesis
