#include "checker/perf/distribution.h"

#include <algorithm>
#include <cmath>

namespace faultline {

double quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  auto at = static_cast<std::size_t>(std::lround(q * static_cast<double>(sorted.size() - 1)));
  return sorted[std::min(at, sorted.size() - 1)];
}

double round3(double v) {
  return std::round(v * 1000) / 1000;
}

Distribution distribution_of(std::vector<double>& sample) {
  Distribution d;
  if (sample.empty()) return d;
  std::sort(sample.begin(), sample.end());
  d.count = sample.size();
  d.p50 = quantile(sample, 0.50);
  d.p95 = quantile(sample, 0.95);
  d.p99 = quantile(sample, 0.99);
  d.max = sample.back();
  return d;
}

boost::json::object Distribution::to_json() const {
  return {{"count", count},
          {"p50", round3(p50)},
          {"p95", round3(p95)},
          {"p99", round3(p99)},
          {"max", round3(max)}};
}

}  // namespace faultline
