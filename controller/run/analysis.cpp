#include "controller/run/analysis.h"

#include <iomanip>
#include <sstream>

#include "checker/history/jsonl.h"
#include "checker/perf/performance.h"
#include "controller/exit_codes.h"

namespace faultline {

History read_run_history(const std::filesystem::path& file,
                         const std::function<void(const std::string&)>& warn) {
  return read_jsonl_dropping_torn_line(file.string(), warn);
}

RunVerdict check_run(const Workload& workload, const History& history, const CheckBudget& budget) {
  CheckerResult check = workload.check(history, budget);
  RunVerdict out;
  out.verdict = check.verdict;
  out.results = std::move(check.document);
  out.results["workload"] = workload.config();
  boost::json::object perf = performance_summary(history);
  std::ostringstream line;
  line << std::fixed << std::setprecision(1)
       << "performance: " << perf["throughput_ops_s"].as_double() << " ops/s completed ("
       << perf["ok_ops_s"].as_double() << " ok/s) over " << perf["duration_s"].as_double()
       << " s; latency of ok ops (ms) p50 " << std::setprecision(2)
       << perf["latency_ms"].at("p50").as_double() << ", p90 "
       << perf["latency_ms"].at("p90").as_double() << ", p99 "
       << perf["latency_ms"].at("p99").as_double() << ", max "
       << perf["latency_ms"].at("max").as_double();
  out.results["performance"] = std::move(perf);
  out.summary = check.summary;
  if (!out.summary.empty() && out.summary.back() != '\n') out.summary += '\n';
  out.summary += line.str() + "\n";
  return out;
}

int exit_code(Verdict verdict) {
  switch (verdict) {
    case Verdict::kValid:
      return kExitValid;
    case Verdict::kInvalid:
      return kExitInvalid;
    default:
      return kExitUnknown;
  }
}

int worse_exit_code(int a, int b) {
  auto rank = [](int code) { return code == kExitInvalid ? 2 : code == kExitUnknown ? 1 : 0; };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace faultline
