#include "checker/perf/fault_windows.h"

#include <map>

#include "checker/history/op_values.h"
#include "checker/perf/distribution.h"

namespace faultline {
namespace {

// "start-partition" -> {true, "partition"}; "stop" -> {false, "fault"}; others: not a fault edge.
bool fault_edge(const std::string& f, bool& starts, std::string& kind) {
  for (const char* prefix : {"start", "stop"}) {
    std::string p(prefix);
    if (f == p) {
      kind = "fault";
    } else if (f.rfind(p + "-", 0) == 0 && f.size() > p.size() + 1) {
      kind = f.substr(p.size() + 1);
    } else {
      continue;
    }
    starts = p == "start";
    return true;
  }
  return false;
}

}  // namespace

std::vector<FaultWindow> fault_windows(const History& history) {
  std::vector<FaultWindow> windows;
  std::map<std::string, std::size_t> open;  // kind -> window index
  // kind -> window closed by a stop invocation whose completion may still come (Jepsen's
  // invoke/info pair). A stop record that completes no such invocation stops nothing (e.g.
  // the final heal's stop-K after the fault already ended).
  std::map<std::string, std::size_t> stopping;
  std::int64_t end = 0;
  for (const Operation& op : history.ops) {
    if (op.time != kNoTime) end = std::max(end, op.time);
    if (!op.is_nemesis() || op.time == kNoTime) continue;
    bool starts = false;
    std::string kind;
    if (!fault_edge(op.f, starts, kind)) {
      stopping.clear();  // another record: a later stop is a new one
      continue;
    }
    if (starts) {
      stopping.erase(kind);
      if (open.count(kind)) continue;  // the completion of the same start, or a repeat
      open[kind] = windows.size();
      windows.push_back(FaultWindow{kind, op.time, op.time, true, op.index});
    } else if (auto it = open.find(kind); it != open.end()) {
      windows[it->second].end = op.time;
      windows[it->second].open = false;
      if (op.type == OpType::kInvoke) stopping[kind] = it->second;
      open.erase(it);
    } else if (auto s = stopping.find(kind); s != stopping.end() && op.is_completion()) {
      windows[s->second].end = op.time;  // the completion of the stop that closed it
      stopping.erase(s);
    }
  }
  for (auto& [kind, i] : open) windows[i].end = end;
  return windows;
}

int window_at(const std::vector<FaultWindow>& windows, std::int64_t time) {
  for (std::size_t i = 0; i < windows.size(); ++i) {
    if (windows[i].start <= time && time <= windows[i].end) return static_cast<int>(i);
  }
  return -1;
}

std::int64_t last_heal_time(const History& history) {
  std::int64_t heal = -1;
  for (const Operation& op : history.ops) {
    bool starts = false;
    std::string kind;
    if (op.is_nemesis() && op.time != kNoTime && fault_edge(op.f, starts, kind) && !starts) {
      heal = std::max(heal, op.time);
    }
  }
  return heal;
}

bool is_final_op(const Operation& invoke) {
  return invoke.f == "final-read" || marked_final(invoke);
}

boost::json::array fault_windows_json(const std::vector<FaultWindow>& windows) {
  boost::json::array out;
  for (const FaultWindow& w : windows) {
    out.push_back({{"kind", w.kind},
                   {"start_ms", round3(static_cast<double>(w.start) / 1e6)},
                   {"end_ms", round3(static_cast<double>(w.end) / 1e6)},
                   {"open", w.open}});
  }
  return out;
}

}  // namespace faultline
