#pragma once
// Large, linearizable-by-construction register histories for benchmarks.
//
// Clients are simulated in virtual time against true registers, one per key: each
// operation is invoked, takes effect at a random instant inside its own interval (its
// linearization point) and completes; reads return what the register holds at that
// instant. Latencies and think times are random, so operations of different processes
// overlap as they do against a real database. A fraction of operations end `info`
// (timed out): half of those took effect, half never did; an `info` read reports no
// value. Like Jepsen, a process that saw `info` is retired and a new process id takes
// its place. The result is valid for `--model register` (and `cas-register`), with
// every register initially nil.

#include <cstddef>
#include <cstdint>
#include <functional>

#include "checker/history/history.h"

namespace faultline {

struct RegisterHistoryOptions {
  std::size_t ops = 1000;  // client operations (each an invocation + completion)
  std::size_t keys = 1;    // > 1: every operation carries an integer `key`
  // > 0: keys rotate as in workloads/register.cpp: each client spends keys * ops_per_key /
  // processes operations on keys [g * keys, (g + 1) * keys), then moves on to group g + 1
  // (client c is process c + k * processes). Every operation then carries a key.
  std::size_t ops_per_key = 0;
  std::size_t processes = 5;     // concurrent clients
  double info_fraction = 0.05;   // share of operations whose outcome is unknown
  double read_fraction = 0.5;    // share of reads; the rest are writes
  bool distinct_values = false;  // each key's writes write 1, 2, 3, ...; else values 0..4
  std::uint64_t seed = 1;        // same options, same history
};

// Hands every operation to `emit`, in history order (index = position, time in ns).
void generate_register_history(const RegisterHistoryOptions& options,
                               const std::function<void(const Operation&)>& emit);

// The same, collected into a History named "generated".
History generate_register_history(const RegisterHistoryOptions& options);

}  // namespace faultline
