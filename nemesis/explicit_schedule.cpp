#include "nemesis/explicit_schedule.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "checker/history/input_error.h"
#include "nemesis/errors.h"

namespace faultline::nemesis {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

std::string seconds(std::int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
  return buf;
}

// A field's problem, named by its path ("faults[2].duration_ms").
[[noreturn]] void bad(const std::string& path, const std::string& problem) {
  throw std::invalid_argument(path + ": " + problem);
}

std::int64_t integer(const object& o, const std::string& path, const char* field,
                     std::optional<std::int64_t> fallback = std::nullopt) {
  const value* v = o.if_contains(field);
  if (!v) {
    if (fallback) return *fallback;
    bad(path + "." + field, "missing (a whole number of milliseconds)");
  }
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->get_uint64());
  if (v->is_double() &&
      v->get_double() == static_cast<double>(static_cast<std::int64_t>(v->get_double())))
    return static_cast<std::int64_t>(v->get_double());
  bad(path + "." + field, "must be a whole number, not " + boost::json::serialize(*v));
}

std::vector<std::string> names_of(const value& v, const std::string& path) {
  if (!v.is_array()) bad(path, "must be a list of node names");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.get_array().size(); ++i) {
    const value& item = v.get_array()[i];
    if (!item.is_string() || item.get_string().empty())
      bad(path + "[" + std::to_string(i) + "]", "must be a node name");
    out.emplace_back(item.get_string());
  }
  return out;
}

std::optional<double> number_field(const object& o, const std::string& path, const char* field) {
  const value* v = o.if_contains(field);
  if (!v) return std::nullopt;
  if (!v->is_number()) bad(path + "." + field, "must be a number");
  return v->to_number<double>();
}

PacketSpec packet_from_json(const value& v, const std::string& path) {
  if (!v.is_object()) bad(path, "must be an object like {\"loss_percent\": 20}");
  const object& o = v.get_object();
  static const std::set<std::string> known{
      "delay_ms",        "jitter_ms",       "loss_percent", "duplicate_percent",
      "reorder_percent", "corrupt_percent", "rate"};
  for (const auto& [key, unused] : o) {
    if (!known.contains(std::string(key))) bad(path + "." + std::string(key), "unknown field");
  }
  PacketSpec spec;
  spec.delay_ms = number_field(o, path, "delay_ms");
  spec.jitter_ms = number_field(o, path, "jitter_ms");
  spec.loss_percent = number_field(o, path, "loss_percent");
  spec.duplicate_percent = number_field(o, path, "duplicate_percent");
  spec.reorder_percent = number_field(o, path, "reorder_percent");
  spec.corrupt_percent = number_field(o, path, "corrupt_percent");
  if (const value* r = o.if_contains("rate")) {
    if (!r->is_string()) bad(path + ".rate", "must be a tc rate like \"1mbit\"");
    spec.rate = std::string(r->get_string());
  }
  if (spec.empty()) bad(path, "says nothing to do to packets");
  try {
    spec.validate();
  } catch (const std::invalid_argument& e) {
    bad(path, e.what());
  }
  return spec;
}

Grudge drops_from_json(const value& v, const std::string& path) {
  if (!v.is_object()) bad(path, "must map each node to the nodes it drops packets from");
  Grudge grudge;
  for (const auto& [node, from] : v.get_object()) {
    const std::string where = path + "." + std::string(node);
    std::vector<std::string> list = names_of(from, where);
    for (const auto& other : list) {
      if (other == node) bad(where, "a node cannot drop its own packets");
    }
    if (!list.empty()) grudge[std::string(node)] = std::set<std::string>(list.begin(), list.end());
  }
  if (grudge.empty()) bad(path, "drops nothing");
  return grudge;
}

ScheduledFault fault_from_json(const value& v, const std::string& path) {
  if (!v.is_object()) bad(path, "must be an object with kind, at_ms and duration_ms");
  const object& o = v.get_object();
  const value* kind_v = o.if_contains("kind");
  if (!kind_v || !kind_v->is_string()) {
    bad(path + ".kind", "missing (partition, clock, kill, pause or packet)");
  }
  auto kind = parse_fault_kind(kind_v->get_string());
  if (!kind) {
    bad(path + ".kind", "unknown kind '" + std::string(kind_v->get_string()) +
                            "' (expected partition, clock, kill, pause or packet)");
  }
  ScheduledFault f;
  f.kind = *kind;
  f.at_ms = integer(o, path, "at_ms");
  if (f.at_ms < 0) bad(path + ".at_ms", "must not be negative");
  f.duration_ms = integer(o, path, "duration_ms");
  if (f.duration_ms <= 0) bad(path + ".duration_ms", "must be positive");
  if (const value* e = o.if_contains("error"); e && e->is_string()) f.error = e->get_string();
  if (f.kind == FaultKind::kPartition) {
    const value* drops = o.if_contains("drops");
    if (!drops) bad(path + ".drops", "missing: which node drops packets from which nodes");
    f.drops = drops_from_json(*drops, path + ".drops");
    if (const value* g = o.if_contains("grudge")) {
      if (!g->is_string()) bad(path + ".grudge", "must be a shape's name");
      f.grudge = g->get_string();
    }
    return f;
  }
  const value* targets = o.if_contains("targets");
  if (!targets) bad(path + ".targets", "missing: the nodes it acts on");
  f.targets = names_of(*targets, path + ".targets");
  if (f.targets.empty()) bad(path + ".targets", "names no node");
  if (f.kind == FaultKind::kClock) {
    std::string mode = "bump";
    if (const value* m = o.if_contains("mode")) {
      if (!m->is_string() || (m->get_string() != "bump" && m->get_string() != "strobe"))
        bad(path + ".mode", "must be \"bump\" or \"strobe\"");
      mode = m->get_string();
    }
    f.clock_mode = mode == "bump" ? ClockMode::kBump : ClockMode::kStrobe;
    f.offset_ms = integer(o, path, "offset_ms");
    if (f.offset_ms == 0) bad(path + ".offset_ms", "must not be 0");
    if (const value* s = o.if_contains("strategy")) {
      if (!s->is_string()) bad(path + ".strategy", "must be auto, faketime or system");
      try {
        f.clock_strategy = parse_clock_strategy(s->get_string());
      } catch (const std::invalid_argument& e) {
        bad(path + ".strategy", e.what());
      }
    }
    f.strobe_period_ms = integer(o, path, "period_ms", 200);
    f.strobe_duration_ms = integer(o, path, "strobe_duration_ms", 2'000);
    if (f.strobe_period_ms <= 0) bad(path + ".period_ms", "must be positive");
    if (f.strobe_duration_ms <= 0) bad(path + ".strobe_duration_ms", "must be positive");
  }
  if (f.kind == FaultKind::kPacket) {
    const value* p = o.if_contains("packet");
    if (!p) bad(path + ".packet", "missing: what to do to packets, e.g. {\"loss_percent\": 20}");
    f.packet = packet_from_json(*p, path + ".packet");
  }
  return f;
}

// Line and column of byte `offset` in `text` (1-based).
std::pair<std::size_t, std::size_t> line_col(const std::string& text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

// Byte offsets of the objects that are elements of an array directly under the root object
// (the faults), in order: where a field error of faults[i] is reported.
std::vector<std::size_t> fault_offsets(const std::string& text) {
  std::vector<std::size_t> out;
  std::vector<char> stack;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (c == '{' && stack.size() == 2 && stack[0] == '{' && stack[1] == '[') out.push_back(i);
      stack.push_back(c);
    } else if ((c == '}' || c == ']') && !stack.empty()) {
      stack.pop_back();
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> ScheduledFault::nodes() const {
  if (kind != FaultKind::kPartition) return targets;
  std::set<std::string> all;
  for (const auto& [node, from] : drops) {
    all.insert(node);
    all.insert(from.begin(), from.end());
  }
  return {all.begin(), all.end()};
}

std::string ScheduledFault::describe() const {
  std::string out(to_string(kind));
  if (kind == FaultKind::kPartition) {
    if (!grudge.empty()) out += " " + grudge;
    // The components as the drops show them: a node and the nodes it hears from.
    out += " (";
    bool first = true;
    for (const auto& [node, from] : drops) {
      out += (first ? "" : ", ") + node + " drops";
      for (const auto& other : from) out += " " + other;
      first = false;
    }
    out += ")";
  } else {
    out += " on";
    for (const auto& t : targets) out += " " + t;
    if (kind == FaultKind::kClock) {
      out += std::string(clock_mode == ClockMode::kBump ? " bump " : " strobe ") +
             (offset_ms > 0 ? "+" : "") + std::to_string(offset_ms) + " ms";
    }
    if (kind == FaultKind::kPacket) out += " " + packet.describe();
  }
  return out + " at " + seconds(at_ms) + " for " + seconds(duration_ms);
}

FaultOptions ScheduledFault::options() const {
  FaultOptions o;
  if (kind == FaultKind::kPartition) {
    o.drops = drops;
    o.grudge = parse_grudge_kind(grudge);
    return o;
  }
  o.target = TargetSpec{TargetSpec::Kind::kNamed, targets};
  if (kind == FaultKind::kClock) {
    o.clock_mode = clock_mode;
    o.clock_strategy = clock_strategy;
    o.offset_ms = offset_ms;
    o.strobe_period_ms = strobe_period_ms;
    o.strobe_duration_ms = strobe_duration_ms;
  }
  if (kind == FaultKind::kPacket) o.packet = packet;
  return o;
}

std::vector<FaultKind> FaultSchedule::kinds() const {
  std::vector<FaultKind> out;
  for (const auto& f : faults) {
    if (std::find(out.begin(), out.end(), f.kind) == out.end()) out.push_back(f.kind);
  }
  return out;
}

std::int64_t FaultSchedule::end_ms() const {
  std::int64_t end = 0;
  for (const auto& f : faults) end = std::max(end, f.end_ms());
  return end;
}

object to_json(const ScheduledFault& f) {
  object o{{"kind", to_string(f.kind)}, {"at_ms", f.at_ms}, {"duration_ms", f.duration_ms}};
  if (f.kind == FaultKind::kPartition) {
    if (!f.grudge.empty()) o["grudge"] = f.grudge;
    o["drops"] = grudge_to_json(f.drops);
  } else {
    array targets;
    for (const auto& t : f.targets) targets.emplace_back(t);
    o["targets"] = std::move(targets);
  }
  if (f.kind == FaultKind::kClock) {
    o["mode"] = f.clock_mode == ClockMode::kBump ? "bump" : "strobe";
    o["offset_ms"] = f.offset_ms;
    o["strategy"] = to_string(f.clock_strategy);
    if (f.clock_mode == ClockMode::kStrobe) {
      o["period_ms"] = f.strobe_period_ms;
      o["strobe_duration_ms"] = f.strobe_duration_ms;
    }
  }
  if (f.kind == FaultKind::kPacket) o["packet"] = f.packet.to_json();
  if (!f.error.empty()) o["error"] = f.error;
  return o;
}

object to_json(const FaultSchedule& schedule) {
  array faults;
  for (const auto& f : schedule.faults) faults.push_back(to_json(f));
  return {{"schema", kScheduleSchema}, {"faults", std::move(faults)}};
}

FaultSchedule schedule_from_json(const value& document) {
  if (!document.is_object()) bad("schedule", "must be an object with \"faults\"");
  const object& root = document.get_object();
  if (const value* schema = root.if_contains("schema");
      schema && (!schema->is_string() || schema->get_string() != kScheduleSchema)) {
    bad("schema",
        "must be \"" + std::string(kScheduleSchema) + "\", not " + boost::json::serialize(*schema));
  }
  const value* faults = root.if_contains("faults");
  if (!faults || !faults->is_array()) bad("faults", "missing: a list of faults (may be empty)");
  FaultSchedule schedule;
  for (std::size_t i = 0; i < faults->get_array().size(); ++i) {
    schedule.faults.push_back(
        fault_from_json(faults->get_array()[i], "faults[" + std::to_string(i) + "]"));
  }
  // Overlaps are checked in file order so the message names the faults as written.
  for (std::size_t i = 0; i < schedule.faults.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const auto& a = schedule.faults[j];
      const auto& b = schedule.faults[i];
      if (a.kind == b.kind && a.at_ms < b.end_ms() && b.at_ms < a.end_ms()) {
        bad("faults[" + std::to_string(i) + "]",
            "overlaps faults[" + std::to_string(j) + "], both " + std::string(to_string(a.kind)) +
                ": one fault of a kind at a time (its stop undoes it on every node)");
      }
    }
  }
  std::stable_sort(
      schedule.faults.begin(), schedule.faults.end(),
      [](const ScheduledFault& a, const ScheduledFault& b) { return a.at_ms < b.at_ms; });
  return schedule;
}

FaultSchedule load_schedule(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputMissing(path.string() + ": cannot open schedule file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  boost::json::stream_parser parser;
  boost::system::error_code ec;
  std::size_t used = parser.write_some(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    auto [line, col] = line_col(text, used);
    throw InputError(path.string(), line, col, "not JSON: " + ec.message());
  }
  value document = parser.release();
  try {
    return schedule_from_json(document);
  } catch (const std::invalid_argument& e) {
    // "faults[2].x: ..." is located at the start of fault 2.
    const std::string what = e.what();
    std::size_t offset = 0;
    if (what.rfind("faults[", 0) == 0) {
      const std::size_t index = std::stoul(what.substr(7));
      const auto offsets = fault_offsets(text);
      if (index < offsets.size()) offset = offsets[index];
    }
    auto [line, col] = line_col(text, offset);
    throw InputError(path.string(), line, col, what);
  }
}

ScheduledFault scheduled_fault_from_start(FaultKind kind, const object& value, std::int64_t at_ms,
                                          std::int64_t duration_ms) {
  ScheduledFault f;
  f.kind = kind;
  f.at_ms = at_ms;
  f.duration_ms = duration_ms;
  auto targets = [&] {
    const auto* t = value.if_contains("targets");
    if (!t)
      throw std::invalid_argument("start-" + std::string(to_string(kind)) + " has no targets");
    f.targets = names_of(*t, "targets");
  };
  switch (kind) {
    case FaultKind::kPartition: {
      const auto* drops = value.if_contains("drops");
      if (!drops) throw std::invalid_argument("start-partition has no drops");
      f.drops = drops_from_json(*drops, "drops");
      if (const auto* g = value.if_contains("grudge"); g && g->is_string())
        f.grudge = g->get_string();
      break;
    }
    case FaultKind::kClock: {
      targets();
      if (const auto* m = value.if_contains("mode"); m && m->is_string())
        f.clock_mode = m->get_string() == "strobe" ? ClockMode::kStrobe : ClockMode::kBump;
      f.offset_ms = integer(value, "start-clock", "offset_ms");
      if (const auto* s = value.if_contains("strategy"); s && s->is_string())
        f.clock_strategy = parse_clock_strategy(s->get_string());
      f.strobe_period_ms = integer(value, "start-clock", "period_ms", 200);
      f.strobe_duration_ms = integer(value, "start-clock", "duration_ms", 2'000);
      break;
    }
    case FaultKind::kKill:
    case FaultKind::kPause:
    case FaultKind::kCrash:  // its targets are every node, always
      targets();
      break;
    case FaultKind::kPacket: {
      targets();
      const auto* requested = value.if_contains("requested");
      if (!requested) throw std::invalid_argument("start-packet has no requested spec");
      f.packet = packet_from_json(*requested, "requested");
      break;
    }
  }
  return f;
}

void check_schedule_nodes(const FaultSchedule& schedule, const std::vector<std::string>& names) {
  const std::set<std::string> known(names.begin(), names.end());
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  for (std::size_t i = 0; i < schedule.faults.size(); ++i) {
    for (const auto& node : schedule.faults[i].nodes()) {
      if (!known.contains(node)) {
        throw FaultRefused("the schedule's fault " + std::to_string(i) + " (" +
                           schedule.faults[i].describe() + ") names node '" + node +
                           "', which is not one of this run's nodes (" + list + ")");
      }
    }
  }
}

}  // namespace faultline::nemesis
