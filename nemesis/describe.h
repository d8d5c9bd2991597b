#pragma once
// Human-readable lines for a nemesis operation: what it did on each node, as the manual
// commands print it ("n1: drops packets from n3, n4 (nft table inet faultline_partition)").

#include <string>
#include <vector>

#include "checker/history/operation.h"

namespace faultline::nemesis {

std::vector<std::string> describe_operation(const Operation& op);

}  // namespace faultline::nemesis
