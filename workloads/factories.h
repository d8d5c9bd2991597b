#pragma once
// The concrete workloads, for make_workload() only (workloads/workload.cpp).

#include <memory>

#include "workloads/workload.h"

namespace faultline {

std::unique_ptr<Workload> make_register_workload(const WorkloadOptions& options);
std::unique_ptr<Workload> make_set_workload(const WorkloadOptions& options);
std::unique_ptr<Workload> make_bank_workload(const WorkloadOptions& options);
std::unique_ptr<Workload> make_list_append_workload(const WorkloadOptions& options);
std::unique_ptr<Workload> make_rw_register_workload(const WorkloadOptions& options);
std::unique_ptr<Workload> make_counter_workload(const WorkloadOptions& options);

}  // namespace faultline
