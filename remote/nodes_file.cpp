#include "remote/nodes_file.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "remote/errors.h"

namespace faultline::remote {
namespace json = boost::json;
namespace {

std::string string_field(const json::object& object, const char* key, const std::string& fallback,
                         const std::string& where) {
  const json::value* value = object.if_contains(key);
  if (!value || value->is_null()) return fallback;
  if (!value->is_string()) throw ConfigError(where + ": \"" + key + "\" must be a string");
  return std::string(value->as_string());
}

bool bool_field(const json::object& object, const char* key, bool fallback,
                const std::string& where) {
  const json::value* value = object.if_contains(key);
  if (!value || value->is_null()) return fallback;
  if (!value->is_bool()) throw ConfigError(where + ": \"" + key + "\" must be true or false");
  return value->as_bool();
}

}  // namespace

NodesFile parse_nodes_file(const std::string& text, const std::string& origin) {
  json::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec) throw ConfigError(origin + ": not valid JSON: " + ec.message());
  if (!root.is_object()) throw ConfigError(origin + ": expected a JSON object with \"nodes\"");
  const json::object& top = root.as_object();
  NodesFile file;
  file.local = bool_field(top, "local", false, origin);
  file.cluster = string_field(top, "cluster", "", origin);
  file.dir = string_field(top, "dir", "", origin);
  file.subnet = string_field(top, "subnet", "", origin);
  const json::value* nodes = top.if_contains("nodes");
  if (!nodes || !nodes->is_array() || nodes->as_array().empty()) {
    throw ConfigError(origin + ": \"nodes\" must be a non-empty array");
  }
  std::size_t index = 0;
  for (const json::value& entry : nodes->as_array()) {
    std::string where = origin + ": nodes[" + std::to_string(index++) + "]";
    if (!entry.is_object()) throw ConfigError(where + ": expected an object");
    const json::object& object = entry.as_object();
    Node node;
    node.name = string_field(object, "name", "", where);
    if (node.name.empty()) throw ConfigError(where + ": \"name\" is required");
    node.host = string_field(object, "host", "", where);
    if (node.host.empty()) throw ConfigError(where + ": \"host\" is required");
    if (const json::value* port = object.if_contains("port")) {
      if (!port->is_int64()) throw ConfigError(where + ": \"port\" must be an integer");
      node.port = static_cast<int>(port->as_int64());
    }
    node.user = string_field(object, "user", node.user, where);
    node.key_file = string_field(object, "key", "", where);
    node.known_hosts = string_field(object, "known_hosts", "", where);
    node.strict_host_keys = bool_field(object, "strict_host_keys", true, where);
    node.sudo = bool_field(object, "sudo", false, where);
    node.local = bool_field(object, "local", file.local, where);
    node.netns = string_field(object, "netns", "", where);
    node.cluster = string_field(object, "cluster", file.cluster, where);
    file.nodes.push_back(std::move(node));
  }
  try {
    validate_nodes(file.nodes);
  } catch (const ConfigError& e) {
    throw ConfigError(origin + ": " + e.what());
  }
  return file;
}

NodesFile read_nodes_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("cannot read nodes file " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse_nodes_file(text.str(), path.string());
}

std::string format_nodes_file(const NodesFile& file) {
  json::object top;
  if (!file.cluster.empty()) top["cluster"] = file.cluster;
  top["local"] = file.local;
  if (!file.dir.empty()) top["dir"] = file.dir;
  if (!file.subnet.empty()) top["subnet"] = file.subnet;
  json::array nodes;
  for (const Node& node : file.nodes) {
    json::object object;
    object["name"] = node.name;
    object["host"] = node.host;
    object["port"] = node.port;
    object["user"] = node.user;
    if (!node.key_file.empty()) object["key"] = node.key_file;
    if (!node.known_hosts.empty()) object["known_hosts"] = node.known_hosts;
    object["strict_host_keys"] = node.strict_host_keys;
    if (node.sudo) object["sudo"] = true;
    object["local"] = node.local;
    if (!node.netns.empty()) object["netns"] = node.netns;
    if (!node.cluster.empty()) object["cluster"] = node.cluster;
    nodes.push_back(std::move(object));
  }
  top["nodes"] = std::move(nodes);
  // One node per line: readable and diffable.
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : top) {
    if (key == "nodes") continue;
    out += std::string(first ? "" : ", ") + json::serialize(json::string(key)) + ": " +
           json::serialize(value);
    first = false;
  }
  out += std::string(first ? "" : ",") + "\n \"nodes\": [\n";
  const auto& array = top["nodes"].as_array();
  for (std::size_t i = 0; i < array.size(); ++i) {
    out += "  " + json::serialize(array[i]) + (i + 1 < array.size() ? ",\n" : "\n");
  }
  out += " ]}\n";
  return out;
}

void write_nodes_file(const NodesFile& file, const std::filesystem::path& path) {
  std::filesystem::path temporary = path;
  temporary += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw ConfigError("cannot write " + temporary.string());
    out << format_nodes_file(file);
    if (!out.flush()) throw ConfigError("writing " + temporary.string() + " failed");
  }
  std::filesystem::permissions(temporary, std::filesystem::perms(0644));
  std::filesystem::rename(temporary, path);
}

}  // namespace faultline::remote
