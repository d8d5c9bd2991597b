#pragma once
// Errors the command line turns into one line on stderr and an exit code.
// Lower layers throw their own types (InputError, InputMissing, ...); main.cpp maps them.

#include <stdexcept>

namespace faultline {

// A bad command line or configuration, found before anything started (exit 64).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A needed service or node cannot be reached (exit 69).
class UnavailableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace faultline
