#pragma once
// Drawing operations from a workload's generator, as one worker of `workers` would.

#include <vector>

#include "workloads/workload.h"

namespace faultline {

// The first n operations worker `worker` of `workers` generates.
inline std::vector<Operation> draw(const Workload& w, std::size_t worker, std::size_t workers,
                                   int n) {
  auto gen = w.generator(worker, workers);
  std::vector<Operation> ops;
  for (int i = 0; i < n; ++i) {
    Operation op;
    gen->next(op);
    ops.push_back(op);
  }
  return ops;
}

}  // namespace faultline
