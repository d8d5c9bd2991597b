#include "controller/shrink/search.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace faultline {
namespace {

using nemesis::FaultKind;
using nemesis::FaultSchedule;
using nemesis::Grudge;
using nemesis::ScheduledFault;

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", s);
  return buf;
}

std::string fault_range(std::size_t begin, std::size_t end, std::size_t total) {
  // 1-based, as a person counts them.
  std::string which = end - begin == 1
                          ? "fault " + std::to_string(begin + 1)
                          : "faults " + std::to_string(begin + 1) + "-" + std::to_string(end);
  return which + " of " + std::to_string(total);
}

// Every node cut off from the others: x drops everyone, everyone drops x.
Grudge isolate(const std::string& x, const std::vector<std::string>& nodes) {
  Grudge g;
  for (const auto& n : nodes) {
    if (n == x) continue;
    g[x].insert(n);
    g[n].insert(x);
  }
  return g;
}

// The nodes whose isolation alone may be the partition that matters, most likely first: a
// partition into components (every node hears exactly its own component) offers the nodes of
// its smallest component; any other shape (bridge, ring) every node, those holding the most
// grudges first.
std::vector<std::string> isolation_candidates(const Grudge& drops,
                                              const std::vector<std::string>& nodes) {
  std::map<std::string, std::set<std::string>> component;
  for (const auto& n : nodes) {
    std::set<std::string> heard(nodes.begin(), nodes.end());
    if (auto it = drops.find(n); it != drops.end()) {
      for (const auto& d : it->second) heard.erase(d);
    }
    component[n] = heard;
  }
  bool components = true;
  for (const auto& [n, c] : component) {
    for (const auto& m : c) components = components && component[m] == c;
  }
  if (components) {
    std::set<std::string> smallest(nodes.begin(), nodes.end());
    for (const auto& [n, c] : component) {
      if (c.size() < smallest.size()) smallest = c;
    }
    if (smallest.size() < nodes.size()) return {smallest.begin(), smallest.end()};
  }
  std::vector<std::string> out(nodes.begin(), nodes.end());
  std::stable_sort(out.begin(), out.end(), [&](const std::string& a, const std::string& b) {
    auto size = [&](const std::string& n) {
      auto it = drops.find(n);
      return it == drops.end() ? std::size_t{0} : it->second.size();
    };
    return size(a) > size(b);
  });
  return out;
}

class Search {
 public:
  Search(const ShrinkCandidate& original, const RunCandidate& run, const ShrinkOptions& options)
      : run_(run), options_(options) {
    result_.original = original;
    result_.minimal = original;
  }

  ShrinkResult go() {
    faults();
    durations();
    time();
    targets();
    confirm();
    if (out_of_budget_) result_.stopped = "budget";
    return std::move(result_);
  }

 private:
  ShrinkCandidate& best() { return result_.minimal; }

  void log(const std::string& line) {
    if (options_.log) options_.log(line);
  }

  // Runs `candidate` up to runs_per_candidate times; true (and it becomes the best) when a
  // run reproduces the anomaly.
  bool attempt(const ShrinkCandidate& candidate, const std::string& phase,
               const std::string& description) {
    if (out_of_budget_) return false;
    const std::string key = boost::json::serialize(to_json(candidate));
    if (!tried_.insert(key).second) return false;  // already known not to reproduce
    ShrinkStep step;
    char label[16];
    std::snprintf(label, sizeof label, "c%02zu", result_.steps.size() + 1);
    step.label = label;
    step.phase = phase;
    step.description = description;
    step.candidate = candidate;
    for (int i = 1; i <= options_.runs_per_candidate; ++i) {
      CandidateRun r = run_(candidate, step.label, i);
      if (r.outcome == CandidateRun::Outcome::kNoBudget) {
        out_of_budget_ = true;
        step.complete = false;
        break;
      }
      ++step.runs;
      if (!r.dir.empty()) step.run_dirs.push_back(r.dir);
      if (r.outcome == CandidateRun::Outcome::kReproduced) {
        ++step.reproduced;
        break;  // failing as soon as one run shows the anomaly
      }
    }
    step.accepted = step.reproduced > 0;
    log(step.label + " " + phase + ": " + description + ": " +
        (step.accepted   ? "reproduced"
         : step.complete ? "not reproduced"
                         : "budget spent") +
        " (" + std::to_string(step.reproduced) + "/" + std::to_string(step.runs) + ")");
    result_.steps.push_back(step);
    if (step.accepted) best() = candidate;
    return step.accepted;
  }

  // ddmin over the faults, on complements: with the faults cut into n chunks, drop one chunk;
  // if the rest fails, keep it (n - 1 chunks); else cut finer, up to single faults.
  void faults() {
    std::size_t n = 2;
    while (!out_of_budget_ && best().schedule.faults.size() >= 2) {
      const auto& faults = best().schedule.faults;
      const std::size_t size = faults.size();
      n = std::min(n, size);
      bool reduced = false;
      for (std::size_t i = 0; i < n && !reduced; ++i) {
        const std::size_t begin = i * size / n, end = (i + 1) * size / n;
        ShrinkCandidate c = best();
        c.schedule.faults.erase(c.schedule.faults.begin() + static_cast<long>(begin),
                                c.schedule.faults.begin() + static_cast<long>(end));
        reduced = attempt(c, "faults", "drop " + fault_range(begin, end, size));
      }
      if (reduced) {
        n = std::max<std::size_t>(n - 1, 2);
      } else if (n >= size) {
        break;
      } else {
        n = std::min(size, 2 * n);
      }
    }
    if (best().schedule.faults.size() == 1) {
      ShrinkCandidate c = best();
      c.schedule.faults.clear();
      attempt(c, "faults", "drop the last fault (does the anomaly need a fault at all?)");
    }
  }

  void durations() {
    for (std::size_t i = 0; i < best().schedule.faults.size(); ++i) {
      while (!out_of_budget_) {
        const std::int64_t d = best().schedule.faults[i].duration_ms;
        const std::int64_t half = std::max(options_.min_duration_ms, d / 2);
        if (half >= d) break;
        ShrinkCandidate c = best();
        c.schedule.faults[i].duration_ms = half;
        // A shorter fault must not now overlap the next of its kind: it cannot, it ends sooner.
        if (!attempt(c, "durations",
                     "fault " + std::to_string(i + 1) + " (" +
                         std::string(nemesis::to_string(c.schedule.faults[i].kind)) + ") lasts " +
                         seconds(static_cast<double>(half) / 1000) + " instead of " +
                         seconds(static_cast<double>(d) / 1000)))
          break;
      }
    }
  }

  double floor_s(const ShrinkCandidate& c) const {
    return std::ceil(static_cast<double>(c.schedule.end_ms()) / 1000.0 + options_.time_slack_s);
  }

  void time() {
    if (!best().schedule.faults.empty()) {
      const std::int64_t first = best().schedule.faults.front().at_ms;
      if (first > options_.first_fault_ms) {
        const std::int64_t delta = first - options_.first_fault_ms;
        ShrinkCandidate c = best();
        for (auto& f : c.schedule.faults) f.at_ms -= delta;
        c.time_limit_s =
            std::max(floor_s(c), best().time_limit_s - static_cast<double>(delta) / 1000);
        attempt(c, "time",
                "every fault " + seconds(static_cast<double>(delta) / 1000) +
                    " earlier, time limit " + seconds(c.time_limit_s));
      }
    }
    while (!out_of_budget_) {
      const double limit = best().time_limit_s;
      const double shorter = std::max(floor_s(best()), std::ceil(limit / 2));
      if (shorter >= limit) break;
      ShrinkCandidate c = best();
      c.time_limit_s = shorter;
      if (!attempt(c, "time", "time limit " + seconds(shorter) + " instead of " + seconds(limit)))
        break;
    }
  }

  void targets() {
    const std::size_t n = options_.nodes.size();
    const std::size_t minority = std::max<std::size_t>(1, n == 0 ? 1 : (n - 1) / 2);
    for (std::size_t i = 0; i < best().schedule.faults.size() && !out_of_budget_; ++i) {
      const ScheduledFault f = best().schedule.faults[i];
      const std::string which =
          "fault " + std::to_string(i + 1) + " (" + std::string(nemesis::to_string(f.kind)) + ")";
      if (f.kind == FaultKind::kCrash) continue;  // a coordinated crash is of every node
      if (f.kind == FaultKind::kPartition) {
        if (n < 2) continue;
        for (const auto& x : isolation_candidates(f.drops, options_.nodes)) {
          Grudge g = isolate(x, options_.nodes);
          if (g == f.drops) break;  // it already cuts off one node alone
          ShrinkCandidate c = best();
          c.schedule.faults[i].drops = g;
          c.schedule.faults[i].grudge = "one";
          if (attempt(c, "targets", which + " cuts off " + x + " alone")) break;
          if (out_of_budget_) break;
        }
        continue;
      }
      if (f.targets.size() > minority) {
        ShrinkCandidate c = best();
        c.schedule.faults[i].targets.resize(minority);
        std::string names;
        for (const auto& t : c.schedule.faults[i].targets) names += " " + t;
        attempt(c, "targets", which + " on a minority:" + names);
      }
      const auto now = best().schedule.faults[i].targets;
      if (now.size() <= 1) continue;
      for (const auto& t : now) {
        ShrinkCandidate c = best();
        c.schedule.faults[i].targets = {t};
        if (attempt(c, "targets", which + " on " + t + " only")) break;
        if (out_of_budget_) break;
      }
    }
  }

  // The minimal candidate's reproduction rate, over runs of its own.
  void confirm() {
    if (out_of_budget_) return;
    for (int i = 1; i <= options_.runs_per_candidate; ++i) {
      CandidateRun r = run_(best(), "minimal", i);
      if (r.outcome == CandidateRun::Outcome::kNoBudget) {
        out_of_budget_ = true;
        break;
      }
      ++result_.confirm_runs;
      if (!r.dir.empty()) result_.confirm_dirs.push_back(r.dir);
      if (r.outcome == CandidateRun::Outcome::kReproduced) ++result_.confirm_reproduced;
    }
    log(result_.confirm_runs == 0
            ? std::string("minimal: no budget left to confirm it")
            : "minimal: reproduced " + std::to_string(result_.confirm_reproduced) + "/" +
                  std::to_string(result_.confirm_runs));
  }

  const RunCandidate& run_;
  ShrinkOptions options_;
  ShrinkResult result_;
  std::set<std::string> tried_;
  bool out_of_budget_ = false;
};

}  // namespace

ShrinkResult shrink_schedule(const ShrinkCandidate& original, const RunCandidate& run,
                             const ShrinkOptions& options) {
  if (options.runs_per_candidate < 1)
    throw std::invalid_argument("runs per candidate must be at least 1");
  return Search(original, run, options).go();
}

boost::json::object to_json(const ShrinkCandidate& candidate) {
  return {{"faults", candidate.schedule.faults.size()},
          {"time_limit_s", candidate.time_limit_s},
          {"schedule", nemesis::to_json(candidate.schedule)}};
}

boost::json::object to_json(const ShrinkStep& step) {
  boost::json::array dirs;
  for (const auto& d : step.run_dirs) dirs.emplace_back(d);
  return {{"label", step.label},
          {"phase", step.phase},
          {"description", step.description},
          {"faults", step.candidate.schedule.faults.size()},
          {"time_limit_s", step.candidate.time_limit_s},
          {"schedule", nemesis::to_json(step.candidate.schedule)},
          {"reproduced", std::to_string(step.reproduced) + "/" + std::to_string(step.runs)},
          {"accepted", step.accepted},
          {"complete", step.complete},
          {"runs", std::move(dirs)}};
}

}  // namespace faultline
