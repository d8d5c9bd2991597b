#pragma once
// Asking every node at once, and asking again until the answer is right: the two loops of
// every adapter's health checks.

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace faultline::adapters {

// f(i) for each i in [0, n) on its own thread; results in order.
template <typename T, typename F>
std::vector<T> parallel(std::size_t n, F f) {
  std::vector<std::future<T>> futures;
  for (std::size_t i = 0; i < n; ++i) futures.push_back(std::async(std::launch::async, f, i));
  std::vector<T> out;
  for (auto& future : futures) out.push_back(future.get());
  return out;
}

// Calls attempt() (returning a problem, empty when all is well) until it succeeds or
// `timeout` has passed, sleeping `interval` between attempts. True on success; otherwise
// false with the last problem in *problem (empty if there was no time for an attempt).
template <typename F>
bool poll_until(std::chrono::milliseconds timeout, std::chrono::milliseconds interval,
                std::string* problem, F attempt) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  problem->clear();
  while (std::chrono::steady_clock::now() < deadline) {
    *problem = attempt();
    if (problem->empty()) return true;
    std::this_thread::sleep_for(interval);
  }
  return false;
}

}  // namespace faultline::adapters
