#include "reports/op_summary.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>

namespace faultline {
namespace {

constexpr std::array<const char*, 3> kOutcomeNames = {"ok", "fail", "info"};

// Nearest-rank quantile of `values`, which is partially reordered.
double quantile(std::vector<float>& values, double q) {
  if (values.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  std::size_t k = rank == 0 ? 0 : std::min(values.size() - 1, rank - 1);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

boost::json::object quantiles(std::vector<float>& values) {
  boost::json::object out;
  out["count"] = values.size();
  if (values.empty()) return out;
  out["p50"] = quantile(values, 0.5);
  out["p90"] = quantile(values, 0.9);
  out["p95"] = quantile(values, 0.95);
  out["p99"] = quantile(values, 0.99);
  out["max"] = *std::max_element(values.begin(), values.end());
  return out;
}

}  // namespace

boost::json::object summarize_ops(const OpTable& table, std::size_t bins) {
  const std::size_t n = table.size();
  const std::size_t nf = table.fs.size();
  std::vector<std::array<std::size_t, 3>> counts(nf, {0, 0, 0});
  std::vector<std::array<std::vector<float>, 3>> latencies(nf);
  std::vector<float> all_completed;
  all_completed.reserve(n);
  double first = n ? table.start[0] : 0, last = first;
  for (std::size_t i = 0; i < n; ++i) {
    auto o = static_cast<std::size_t>(table.outcome[i]);
    ++counts[table.f[i]][o];
    last = std::max(last, table.start[i] + std::max(0.0f, table.latency[i]));
    if (table.latency[i] >= 0) {
      latencies[table.f[i]][o].push_back(table.latency[i]);
      all_completed.push_back(table.latency[i]);
    }
  }

  boost::json::object out;
  boost::json::array count_rows, latency_rows;
  std::array<std::size_t, 3> totals{0, 0, 0};
  for (std::size_t f = 0; f < nf; ++f) {
    boost::json::object row{{"f", table.fs[f]}};
    for (std::size_t o = 0; o < 3; ++o) {
      row[kOutcomeNames[o]] = counts[f][o];
      totals[o] += counts[f][o];
      if (latencies[f][o].empty()) continue;
      boost::json::object q = quantiles(latencies[f][o]);
      q["f"] = table.fs[f];
      q["outcome"] = kOutcomeNames[o];
      latency_rows.push_back(std::move(q));
    }
    count_rows.push_back(std::move(row));
  }
  out["counts"] = std::move(count_rows);
  out["totals"] = {{"ok", totals[0]}, {"fail", totals[1]}, {"info", totals[2]}, {"all", n}};
  out["latency"] = std::move(latency_rows);
  out["overall"] = quantiles(all_completed);
  double duration = last - first;
  out["duration"] = duration;
  if (table.unit == "us" && duration > 0) {
    out["throughput"] = static_cast<double>(n) / (duration / 1e6);
    out["throughput_ok"] = static_cast<double>(totals[0]) / (duration / 1e6);
  }

  // Series over [first, last]: bins of equal width, by invocation time.
  bins = std::max<std::size_t>(1, std::min(bins, std::max<std::size_t>(n, 1)));
  double width = duration > 0 ? duration / static_cast<double>(bins) : 1;
  std::vector<std::array<std::size_t, 3>> per_bin(bins, {0, 0, 0});
  std::vector<std::vector<float>> bin_latency(bins);
  for (std::size_t i = 0; i < n; ++i) {
    auto b = static_cast<std::size_t>((table.start[i] - first) / width);
    b = std::min(b, bins - 1);
    ++per_bin[b][static_cast<std::size_t>(table.outcome[i])];
    if (table.latency[i] >= 0) bin_latency[b].push_back(table.latency[i]);
  }
  boost::json::object series{{"bins", bins}, {"t0", first}, {"width", width}};
  for (std::size_t o = 0; o < 3; ++o) {
    boost::json::array column;
    for (const auto& c : per_bin) column.push_back(c[o]);
    series[kOutcomeNames[o]] = std::move(column);
  }
  for (auto [name, q] : {std::pair{"p50", 0.5}, {"p95", 0.95}, {"p99", 0.99}}) {
    boost::json::array column;
    for (auto& values : bin_latency) {
      if (values.empty()) {
        column.push_back(nullptr);
      } else {
        column.push_back(quantile(values, q));
      }
    }
    series[name] = std::move(column);
  }
  out["series"] = std::move(series);
  return out;
}

}  // namespace faultline
