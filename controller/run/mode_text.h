#pragma once
// The mode a test configuration runs in, as text: what `compare --modes` calls a mode and what
// the run's trade-off summary (checker/staleness/tradeoff.h) labels its figures with. It lives
// beside TestConfig so that a run can name its mode without knowing about `compare`.

#include <string>

#include "controller/run/test_config.h"

namespace faultline {

// "read-consistency=serializable" for etcd, the db_settings joined by '+' otherwise ("" when
// none), e.g. "read-from=replica+wait=1".
std::string mode_text(const TestConfig& config);

}  // namespace faultline
