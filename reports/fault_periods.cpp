#include "reports/fault_periods.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <optional>

namespace faultline {
namespace {

struct OpenPeriod {
  double start = 0;
  std::optional<double> stop;  // time of the stop-K that ended it
  bool stop_pending = false;   // that stop was an invocation: its completion ends it
  std::string value;
};

// "start-partition" -> ("start", "partition"); Jepsen's "start" -> ("start", "fault").
std::optional<std::pair<std::string, std::string>> split_fault(const std::string& f) {
  for (const char* verb : {"start", "stop"}) {
    std::string v = verb;
    if (f == v) return std::pair{v, std::string("fault")};
    if (f.rfind(v + "-", 0) == 0 && f.size() > v.size() + 1) {
      return std::pair{v, f.substr(v.size() + 1)};
    }
  }
  return std::nullopt;
}

// What a node's clock showed against the controller's, in ms, from one measurement of the
// clock fault ({"system_offset_ms", "faketime_offset_ms"}: the faked clock is the system
// clock plus faketime's offset); nullopt when the measurement holds neither.
std::optional<double> measured_offset(const boost::json::value& m) {
  const auto* o = m.if_object();
  if (!o) return std::nullopt;
  const auto* system = o->if_contains("system_offset_ms");
  const auto* faked = o->if_contains("faketime_offset_ms");
  if ((!system || !system->is_number()) && (!faked || !faked->is_number())) return std::nullopt;
  double offset = system && system->is_number() ? system->to_number<double>() : 0;
  if (faked && faked->is_number()) offset += faked->to_number<double>();
  return offset;
}

void add_clock_offsets(const boost::json::value& value, double time, boost::json::array& out) {
  if (!value.is_object()) return;
  const auto& object = value.as_object();
  auto push = [&](const std::string& node, double offset) {
    out.push_back(boost::json::object{{"time", time}, {"node", node}, {"offset", offset}});
  };
  if (auto it = object.find("offsets"); it != object.end() && it->value().is_object()) {
    add_clock_offsets(it->value(), time, out);
    return;
  }
  // start-clock's "nodes" and stop-clock's "reset": node -> {"before": m, "after": m}.
  for (const char* field : {"nodes", "reset"}) {
    const auto* nodes = object.if_contains(field);
    if (!nodes || !nodes->is_object()) continue;
    for (const auto& [node, m] : nodes->get_object()) {
      if (!m.is_object()) continue;
      for (const char* when : {"before", "after"}) {
        if (const auto* measurement = m.get_object().if_contains(when)) {
          if (auto offset = measured_offset(*measurement)) push(node, *offset);
        }
      }
    }
    return;
  }
  for (const auto& [node, offset] : object) {
    if (offset.is_number()) {
      push(node, offset.to_number<double>());
    } else if (auto measured = measured_offset(offset)) {
      push(node, *measured);  // a sample: node -> measurement
    }
  }
}

}  // namespace

boost::json::object fault_periods(const History& history, const PairedHistory& paired,
                                  const OpTable& table) {
  boost::json::array periods, events, clock;
  std::map<std::string, OpenPeriod> open;
  auto close = [&](const std::string& kind, const OpenPeriod& p, double end, bool still_open) {
    periods.push_back(boost::json::object{{"kind", kind},
                                          {"start", p.start},
                                          {"end", end},
                                          {"open", still_open},
                                          {"value", p.value}});
  };
  for (std::size_t position : paired.nemesis) {
    const Operation& op = history.ops[position];
    double time = op_time(table, op, position);
    std::string value = op.value.is_null() ? "" : boost::json::serialize(op.value);
    events.push_back(boost::json::object{
        {"time", time}, {"type", to_string(op.type)}, {"f", op.f}, {"value", value}});
    if (op.f.find("clock") != std::string::npos && op.is_completion()) {
      add_clock_offsets(op.value, time, clock);
    }
    auto fault = split_fault(op.f);
    if (!fault) continue;
    const auto& [verb, kind] = *fault;
    auto it = open.find(kind);
    if (verb == "start") {
      if (it != open.end() && it->second.stop) {  // the previous period ended: a new one
        close(kind, it->second, *it->second.stop, false);
        open.erase(it);
        it = open.end();
      }
      if (it == open.end()) {
        open.emplace(kind, OpenPeriod{time, std::nullopt, false, value});
      } else if (it->second.value.empty()) {
        it->second.value = value;  // the completion of start-K often says what was done
      }
    } else if (it != open.end() && (!it->second.stop || it->second.stop_pending)) {
      // The first stop ends the period (its completion, for an invoke/completion pair); a
      // later stop-K, like the final heal's, stops nothing.
      it->second.stop = time;
      it->second.stop_pending = !it->second.stop_pending && op.type == OpType::kInvoke;
    }
  }
  for (const auto& [kind, p] : open) close(kind, p, p.stop.value_or(table.end), !p.stop);
  std::stable_sort(periods.begin(), periods.end(), [](const auto& a, const auto& b) {
    return a.as_object().at("start").as_double() < b.as_object().at("start").as_double();
  });
  return {
      {"periods", std::move(periods)}, {"events", std::move(events)}, {"clock", std::move(clock)}};
}

}  // namespace faultline
