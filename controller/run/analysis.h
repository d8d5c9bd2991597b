#pragma once
// Checking a run: the same steps for a run that just ended and for `faultline analyze` on a
// stored one. The history is always read back from history.jsonl, so both see the same data.

#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <string>

#include "checker/history/history.h"
#include "workloads/workload.h"

namespace faultline {

// Reads a run's history.jsonl (read_jsonl_dropping_torn_line, checker/history/jsonl.h). A
// controller killed mid-write can leave a torn last line (no newline, not a whole JSON
// object): it is dropped and `warn` is told; everything before it is kept. Any other
// malformed line is an InputError as usual. Throws InputMissing if absent.
History read_run_history(const std::filesystem::path& file,
                         const std::function<void(const std::string&)>& warn);

struct RunVerdict {
  Verdict verdict = Verdict::kUnknown;
  boost::json::object results;  // the checker's document + "workload" + "performance"
  std::string summary;          // checker summary + a performance line
};

RunVerdict check_run(const Workload& workload, const History& history, const CheckBudget& budget);

// 0 valid, 1 invalid, 2 unknown.
int exit_code(Verdict verdict);
// The worse of two verdict exit codes: invalid over unknown over valid.
int worse_exit_code(int a, int b);

}  // namespace faultline
