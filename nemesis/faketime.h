#pragma once
// Starting a database process under libfaketime, so the clock fault's `faketime` strategy can
// skew what it reads as the time without touching the node's clock.
//
// Each node has one control file (state_dir/faketime) holding an offset in libfaketime's
// syntax ("+30.000", "-1.500": seconds, '.' as the decimal point in the C locale). With
// FAKETIME_NO_CACHE=1 a running process reads it at every time call, so rewriting the file
// (atomically, by rename) moves its clock at once. FAKETIME_DONT_FAKE_MONOTONIC=1 keeps
// CLOCK_MONOTONIC real (it would otherwise jump backwards). LD_PRELOAD is set on the target
// program only, never on wrappers.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "remote/command.h"
#include "remote/node.h"

namespace faultline::nemesis {

inline constexpr const char* kLibfaketimePath =
    "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

// The node's control file.
std::string faketime_control_file(const remote::Node& node);

// The environment a faketime'd process needs (name, value), for adapters that set it up
// themselves.
std::vector<std::pair<std::string, std::string>> faketime_environment(const remote::Node& node);

// An argv that runs `program` (argv) under libfaketime with the node's control file, after
// creating the file with "+0" if it is missing (when the caller may write there). Wrap it
// in runuser/sudo as needed: the wrappers stay unfaked.
std::vector<std::string> faketime_launch_argv(const remote::Node& node,
                                              const std::vector<std::string>& program);

// As root, creates the node's state directory and a "+0" control file if missing (for
// adapters whose processes run as an unprivileged user that cannot create it).
remote::Command faketime_prepare_command(const remote::Node& node);

// "+30.000", "-1.500", "+0.000".
std::string format_faketime_offset(std::int64_t offset_ms);

}  // namespace faultline::nemesis
