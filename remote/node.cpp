#include "remote/node.h"

#include <set>

#include "remote/errors.h"

namespace faultline::remote {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

std::string printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += '?';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

bool is_valid_node_name(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
        (name[0] >= '0' && name[0] <= '9'))) {
    return false;
  }
  for (char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

void validate_node_name(std::string_view name) {
  if (!is_valid_node_name(name)) {
    throw ConfigError("invalid node name '" + printable(name) +
                      "': use 1-63 letters, digits, '.', '_' or '-', starting with a letter "
                      "or digit");
  }
}

void validate_nodes(const std::vector<Node>& nodes) {
  std::set<std::string> seen;
  for (const auto& node : nodes) {
    validate_node_name(node.name);
    if (!seen.insert(node.name).second) {
      throw ConfigError("node name '" + node.name + "' appears twice");
    }
    if (node.host.empty()) throw ConfigError("node " + node.name + ": no host");
    for (char c : node.host) {
      // Hosts go to libssh, never to a shell; still, refuse what no host name contains.
      if (static_cast<unsigned char>(c) <= ' ' || c == '\'' || c == '"' || c == ';' || c == '`' ||
          c == '$' || c == '\\') {
        throw ConfigError("node " + node.name + ": invalid host '" + printable(node.host) + "'");
      }
    }
    if (node.port < 1 || node.port > 65535) {
      throw ConfigError("node " + node.name + ": invalid port " + std::to_string(node.port));
    }
    if (node.user.empty() || node.user.find_first_of(" \t\n'\";$`\\@") != std::string::npos) {
      throw ConfigError("node " + node.name + ": invalid user '" + printable(node.user) + "'");
    }
  }
}

}  // namespace faultline::remote
