#include "checker/history/edn_writer.h"

#include "checker/history/edn.h"
#include "checker/history/edn_text.h"

namespace faultline {
namespace {

// A keyword when the text is a valid keyword name (it reads back as the same string),
// else a quoted string.
void append_name(std::string& out, std::string_view name) {
  if (valid_name(name, true)) {
    out += ':';
    out += name;
  } else {
    out += quote_edn_string(name);
  }
}

}  // namespace

void append_edn_line(std::string& out, const Operation& op) {
  if (op.inferred_invoke) return;
  const std::size_t start = out.size();
  out += '{';
  auto field = [&](std::string_view name) {
    if (out.size() > start + 1) out += ", ";
    append_name(out, name);
    out += ' ';
  };
  field("index");
  out += std::to_string(op.index);
  field("type");
  out += ':';
  out += to_string(op.type);
  if (op.is_nemesis()) {
    field("process");
    out += ":nemesis";
  } else if (!op.process_assigned) {
    field("process");
    out += std::to_string(op.process);
  }
  if (!op.f.empty()) {
    field("f");
    append_name(out, op.f);
  }
  if (op.key) {
    field("key");
    out += to_edn_text(*op.key);
  }
  field("value");
  out += to_edn_text(op.value);
  if (op.time != kNoTime) {
    field("time");
    out += std::to_string(op.time);
  }
  if (op.node) {
    field("node");
    out += quote_edn_string(*op.node);
  }
  if (op.error) {
    field("error");
    out += to_edn_text(*op.error);
  }
  for (const auto& [k, v] : op.extra) {
    field(std::string_view(k.data(), k.size()));
    out += to_edn_text(v);
  }
  out += '}';
}

}  // namespace faultline
