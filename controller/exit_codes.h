#pragma once
// Exit codes of every faultline command (docs/exit-codes.md). Verdicts first, then
// the BSD sysexits codes for everything that kept a verdict from being reached.

namespace faultline {

inline constexpr int kExitValid = 0;         // every checker said valid
inline constexpr int kExitInvalid = 1;       // some checker found an anomaly
inline constexpr int kExitUnknown = 2;       // no anomaly, but something could not be decided
inline constexpr int kExitUsage = 64;        // bad command line or configuration
inline constexpr int kExitDataError = 65;    // malformed input (FILE:LINE:COL on stderr)
inline constexpr int kExitNoInput = 66;      // input file missing or unreadable
inline constexpr int kExitUnavailable = 69;  // a needed service or node is unreachable
inline constexpr int kExitSoftware = 70;     // internal error (a bug in faultline)

}  // namespace faultline
