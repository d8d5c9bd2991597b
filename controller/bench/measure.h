#pragma once
// What the benchmarks (`faultline bench ...`) measure and how they print it: time, CPU
// time, the resident high-water mark and the machine's load. The machines these run on
// are shared, so CPU time is the figure to compare; wall time and load say how shared.

#include <chrono>
#include <string>

namespace faultline::bench {

using Clock = std::chrono::steady_clock;

// Wall time since `start`.
double seconds_since(Clock::time_point start);
double ms_since(Clock::time_point start);
// CPU time (user + system, all threads) of this process so far.
double process_cpu_seconds();
// CPU time of the calling thread so far.
double thread_cpu_seconds();

// Resets the resident-set high-water mark (/proc/self/clear_refs, "5"); false if the
// kernel refused, and then peak_rss_mib() is the process's peak so far.
bool reset_peak_rss();
// VmHWM of this process in MiB; 0 if unreadable.
double peak_rss_mib();

// The 1-minute load average ("?" if unreadable): other processes competing for the cores.
std::string load_average();
// `value` with `digits` decimals.
std::string fixed(double value, int digits);

}  // namespace faultline::bench
