#include "controller/run/analysis.h"

#include <fstream>
#include <iomanip>
#include <sstream>

#include "checker/history/input_error.h"
#include "controller/exit_codes.h"
#include "controller/run/perf.h"

namespace faultline {

History read_run_history(const std::filesystem::path& file,
                         const std::function<void(const std::string&)>& warn) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputMissing(file.string() + ": cannot open history file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!text.empty() && text.back() != '\n') {
    std::size_t start = text.rfind('\n');
    start = start == std::string::npos ? 0 : start + 1;
    boost::json::error_code ec;
    boost::json::value last = boost::json::parse(std::string_view(text).substr(start), ec);
    if (ec || !last.is_object()) {
      std::size_t line = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
      if (warn) {
        warn(file.string() + ":" + std::to_string(line) +
             ": dropped a torn last line (the run was killed while writing it)");
      }
      text.resize(start);
    }
  }
  std::istringstream stream(text);
  return read_history(stream, file.string(), HistoryFormat::kJsonl);
}

RunVerdict check_run(const Workload& workload, const History& history, const CheckBudget& budget) {
  WorkloadCheck check = workload.check(history, budget);
  RunVerdict out;
  out.verdict = check.verdict;
  out.results = std::move(check.document);
  out.results["workload"] = workload.config();
  boost::json::object perf = performance_summary(history);
  std::ostringstream line;
  line << std::fixed << std::setprecision(1) << "performance: " << perf["throughput_ops_s"].as_double()
       << " ops/s completed (" << perf["ok_ops_s"].as_double() << " ok/s) over "
       << perf["duration_s"].as_double() << " s; latency of ok ops (ms) p50 "
       << std::setprecision(2) << perf["latency_ms"].at("p50").as_double() << ", p90 "
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
    case Verdict::kValid: return kExitValid;
    case Verdict::kInvalid: return kExitInvalid;
    default: return kExitUnknown;
  }
}

int worse_exit_code(int a, int b) {
  auto rank = [](int code) { return code == kExitInvalid ? 2 : code == kExitUnknown ? 1 : 0; };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace faultline
