#include "nemesis/describe.h"

#include <cstdio>

namespace faultline::nemesis {
namespace {

namespace json = boost::json;

std::string join_strings(const json::value& list, const char* separator = ", ") {
  std::string out;
  if (const auto* array = list.if_array()) {
    for (const auto& item : *array) {
      out += (out.empty() ? "" : separator) +
             (item.is_string() ? std::string(item.as_string()) : json::serialize(item));
    }
  }
  return out;
}

// {"loss_percent": 20, "rate": "1mbit"} as `loss_percent=20 rate=1mbit`.
std::string compact(const json::value& value) {
  if (const auto* object = value.if_object()) {
    std::string out;
    for (const auto& [key, item] : *object) {
      out += (out.empty() ? "" : " ") + std::string(key) + "=" + compact(item);
    }
    return out.empty() ? "nothing" : out;
  }
  if (value.is_string()) return std::string(value.as_string());
  if (value.is_number()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", value.to_number<double>());
    return buf;
  }
  return json::serialize(value);
}

std::string millis(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f ms", value);
  return buf;
}

std::string at(const Operation& op, const std::string& node) {
  const auto* effective = op.extra.if_contains("effective");
  if (!effective || !effective->is_object()) return "";
  const auto* ns = effective->as_object().if_contains(node);
  if (!ns || !ns->is_int64()) return "";
  char buf[48];
  std::snprintf(buf, sizeof buf, " [at %.1f ms]", static_cast<double>(ns->as_int64()) / 1e6);
  return buf;
}

std::string offsets(const json::value& measurement) {
  const auto* m = measurement.if_object();
  if (!m) return "?";
  std::string out;
  if (const auto* f = m->if_contains("faketime_offset_ms"); f && f->is_number()) {
    out += "faketime " + millis(f->to_number<double>());
  }
  if (const auto* s = m->if_contains("system_offset_ms"); s && s->is_number()) {
    out += std::string(out.empty() ? "" : ", ") + "system " + millis(s->to_number<double>());
  }
  return out;
}

}  // namespace

std::vector<std::string> describe_operation(const Operation& op) {
  std::vector<std::string> lines;
  const json::object empty;
  const json::object& value = op.value.is_object() ? op.value.as_object() : empty;
  auto field = [&](const char* name) -> const json::value* { return value.if_contains(name); };

  if (op.f == "start-partition") {
    lines.push_back("partition " +
                    std::string(field("grudge") ? field("grudge")->as_string() : "?") + " via " +
                    std::string(field("mechanism") ? field("mechanism")->as_string() : "?"));
    if (const auto* drops = field("drops"); drops && drops->is_object()) {
      for (const auto& [node, from] : drops->as_object()) {
        lines.push_back(std::string(node) + ": drops packets from " + join_strings(from) +
                        at(op, node));
      }
    }
  } else if (op.f == "start-clock") {
    lines.push_back("clock " + compact(value.at("mode")) + " " + compact(value.at("offset_ms")) +
                    " ms via " + compact(value.at("strategy")));
    if (const auto* nodes = field("nodes"); nodes && nodes->is_object()) {
      for (const auto& [node, m] : nodes->as_object()) {
        std::string line = std::string(node) + ":";
        if (const auto* o = m.if_object()) {
          if (const auto* b = o->if_contains("before")) line += " before " + offsets(*b) + ";";
          if (const auto* a = o->if_contains("after")) line += " after " + offsets(*a);
        }
        lines.push_back(line + at(op, node));
      }
    }
  } else if (op.f == "stop-clock") {
    if (const auto* reset = field("reset"); reset && reset->is_object()) {
      for (const auto& [node, m] : reset->as_object()) {
        const auto* o = m.if_object();
        if (o && o->contains("after")) {
          lines.push_back(std::string(node) + ": clock reset, now " + offsets(o->at("after")));
        }
      }
    }
    if (lines.empty()) lines.push_back("clock: no skew was applied; faketime control files at +0");
  } else if (op.f == "start-kill" || op.f == "start-pause") {
    if (const auto* nodes = field("nodes"); nodes && nodes->is_object()) {
      for (const auto& [node, n] : nodes->as_object()) {
        lines.push_back(std::string(node) + ": " +
                        std::string(field("signal") ? field("signal")->as_string() : "?") +
                        " to pids " + join_strings(n.as_object().at("pids"), " ") + at(op, node));
      }
    }
  } else if (op.f == "stop-pause") {
    if (const auto* nodes = field("nodes"); nodes && nodes->is_object()) {
      for (const auto& [node, out] : nodes->as_object()) {
        std::string text = out.is_string() ? std::string(out.as_string()) : "";
        for (auto& c : text) c = (c == '\n' ? ' ' : c);
        lines.push_back(std::string(node) + ": " + text);
      }
    }
    if (lines.empty()) lines.push_back("pause: no paused process");
  } else if (op.f == "start-crash") {
    if (const auto* spread = field("spread_ms"); spread && spread->is_number()) {
      char text[64];
      std::snprintf(text, sizeof text, "crash: SIGKILL on every node within %.1f ms",
                    spread->to_number<double>());
      lines.push_back(text);
    }
    if (const auto* nodes = field("nodes"); nodes && nodes->is_object()) {
      for (const auto& [node, n] : nodes->as_object()) {
        lines.push_back(std::string(node) + ": SIGKILL to pids " +
                        join_strings(n.as_object().at("pids"), " ") + at(op, node));
      }
    }
  } else if (op.f == "stop-kill" || op.f == "stop-crash") {
    if (const auto* restarted = field("restarted"); restarted && restarted->is_array()) {
      for (const auto& node : restarted->as_array()) {
        if (node.is_string()) lines.push_back(std::string(node.as_string()) + ": restarted");
      }
    } else if (restarted && restarted->is_object()) {  // histories before 2026-12: node -> argv
      for (const auto& [node, argv] : restarted->as_object()) {
        (void)argv;
        lines.push_back(std::string(node) + ": restarted");
      }
    }
    if (lines.empty())
      lines.push_back(std::string(op.f == "stop-crash" ? "crash" : "kill") +
                      ": nothing to restart");
  } else if (op.f == "start-packet") {
    lines.push_back("packet " + compact(value.at("requested")));
    if (const auto* nodes = field("nodes"); nodes && nodes->is_object()) {
      for (const auto& [node, n] : nodes->as_object()) {
        const auto& o = n.as_object();
        lines.push_back(std::string(node) + ": towards " + join_strings(o.at("peers")) +
                        " applied " + compact(o.at("applied")) + at(op, node));
        if (!o.at("refused").as_array().empty()) {
          lines.push_back(std::string(node) + ": REFUSED " + join_strings(o.at("refused"), "; "));
        }
      }
    }
  } else if (op.f.rfind("stop-", 0) == 0) {
    lines.push_back(op.f.substr(5) + ": removed faultline's rules on " +
                    (field("healed") ? join_strings(*field("healed")) : std::string("?")));
  } else {
    lines.push_back(op.f + " " + json::serialize(op.value));
  }
  if (op.error) {
    lines.push_back("FAILED: " + (op.error->is_string() ? std::string(op.error->as_string())
                                                        : json::serialize(*op.error)));
  }
  return lines;
}

}  // namespace faultline::nemesis
