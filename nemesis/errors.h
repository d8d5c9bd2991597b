#pragma once
// Errors of the nemesis. A fault either takes effect as recorded or throws one of these:
// nothing is skipped silently.

#include <stdexcept>

namespace faultline::nemesis {

// The fault cannot take effect with this configuration (e.g. the `system` clock strategy on
// nodes that share the controller's kernel, or a database whose processes ignore libfaketime).
// Raised before anything is applied; the command line reports it as a usage error.
class FaultRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Applying or undoing a fault failed on some nodes. The operation recorded before this is
// thrown says what did take effect, and where.
class FaultFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace faultline::nemesis
