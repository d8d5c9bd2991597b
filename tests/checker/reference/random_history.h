#pragma once
// Small random histories for differential testing of linearizability checkers.
//
// A history is made by simulating clients against a true sequential object of the
// model: each operation is invoked, takes effect at some later moment (its
// linearization point, interleaved at random with other clients' events), and then
// completes `ok`, or `fail` when the object refused it (cas compare failed, mutex
// busy). Some operations crash instead (`info`, or no completion at all), before or
// after taking effect; a crashed one may still take effect later. Such a history is
// linearizable by construction. Then, with probability `corrupt`, one or two
// mutations make it possibly non-linearizable: a read returns something else, ok and
// fail are swapped, a completion becomes `info`, or disappears.

#include <cstddef>
#include <optional>
#include <random>
#include <string>

#include "checker/history/history.h"

namespace faultline::reference {

struct RandomHistoryOptions {
  std::string model = "register";  // any of reference_checker.h's models
  std::size_t ops = 8;             // client operations invoked
  std::size_t processes = 3;       // concurrent clients
  std::size_t keys = 1;            // > 1: operations carry a `key` (kv: always keyed)
  int values = 3;                  // written values are drawn from 1..values
  bool distinct = false;           // instead, every write/add/enqueue writes 1, 2, 3, ...
  double crash = 0.15;             // probability that an operation crashes (info)
  double corrupt = 0.65;           // probability of mutating the valid history
  // Initial value of every register (register, cas-register, kv, multi-register);
  // nullopt: nil ("" for kv). Must match the checker's initial value.
  std::optional<boost::json::value> initial;
};

// Deterministic for a given generator state.
History random_history(const RandomHistoryOptions& options, std::mt19937_64& rng);

}  // namespace faultline::reference
