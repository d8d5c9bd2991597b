#pragma once
// `faultline check HISTORY --model list-append|rw-register`: the transactional checker
// behind the check command (controller/cmd_check.cpp dispatches these two models here).

#include <cstddef>
#include <optional>
#include <string>

namespace faultline {

struct TxnCheckCommand {
  std::string file, model, format, out;
  std::string consistency_model;  // empty: strict-serializable
  int threads = 0;
  double time_limit = 0;
  std::size_t memory_limit = 0;
  bool json = false;
};

// Is `model` one of the transactional models?
bool is_txn_model(const std::string& model);

// Reads, checks, prints (summary or --json) and writes OUT/results.json; returns the
// exit code for the verdict. Throws UsageError, InputError, InputMissing.
int run_txn_check(const TxnCheckCommand& command);

}  // namespace faultline
