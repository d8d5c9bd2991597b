#pragma once
// Distribution: quantiles of a sample, as every staleness, availability and latency figure
// reports them. Quantiles are nearest-rank on the sorted sample: q picks the element at
// round(q * (n - 1)), so p50 of {1, 2, 3, 4} is 3 and every quantile is a value that occurred.
// An empty sample has count 0 and every quantile 0.

#include <boost/json.hpp>
#include <cstddef>
#include <vector>

namespace faultline {

struct Distribution {
  std::size_t count = 0;
  double p50 = 0, p95 = 0, p99 = 0, max = 0;

  // {"count", "p50", "p95", "p99", "max"}, values rounded to 3 decimals.
  boost::json::object to_json() const;
};

// Sorts `sample` in place.
Distribution distribution_of(std::vector<double>& sample);

// The nearest-rank quantile q (0..1) of an ascending sample; 0 for an empty one.
double quantile(const std::vector<double>& sorted, double q);

// Rounds to 3 decimals (for JSON people read).
double round3(double v);

}  // namespace faultline
