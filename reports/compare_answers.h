#pragma once
// The plain answers of the compare page: short sentences computed from the measured figures,
// each naming the plots it is read from. They state what happened in these runs (stale share,
// worst staleness and where it fell, what the fresher mode cost in latency and availability,
// convergence after the last heal) and nothing more: no advice, and "not measured" where a
// figure is missing.
//
// Input: one object per mode, {"mode", "summary": the run's trade-off summary
// (checker/staleness/tradeoff.h), "series": compare_series.h's object}, as in compare.json.

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace faultline {

struct PlainAnswer {
  std::string text;
  std::vector<std::string> plots;  // element ids on the page: "staleness-cdf", ...
};

std::vector<PlainAnswer> plain_answers(const boost::json::array& modes);

boost::json::array answers_to_json(const std::vector<PlainAnswer>& answers);

// 0.42 ms, 6.9 ms, 380 ms, 1.25 s: the durations of the sentences.
std::string duration_text(double ms);

}  // namespace faultline
