// Node names, nodes files and the node options every node-facing command shares.

#include "remote/nodes_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <functional>

#include "remote/errors.h"
#include "remote/node.h"
#include "remote/node_options.h"

namespace faultline::remote {
namespace {

std::string message_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no ConfigError)";
}

TEST(NodeName, AcceptsIdentifiersOnly) {
  for (const char* good : {"n1", "db-2", "node.example_1", "N9"}) {
    EXPECT_TRUE(is_valid_node_name(good)) << good;
  }
  for (std::string bad :
       std::vector<std::string>{"", "-n1", ".n1", "n1;touch /tmp/pwned", "a b", "$(id)", "n1\n",
                                "n`id`", "n'1", "n/1", std::string(64, 'a')}) {
    EXPECT_FALSE(is_valid_node_name(bad)) << bad;
  }
  EXPECT_NE(message_of([] { validate_node_name("n1;touch /tmp/x"); }).find("invalid node name"),
            std::string::npos);
}

TEST(ValidateNodes, RefusesDuplicatesAndBadFields) {
  Node a;
  a.name = "n1";
  a.host = "10.0.0.1";
  Node b = a;
  EXPECT_NE(message_of([&] { validate_nodes({a, b}); }).find("appears twice"), std::string::npos);
  b.name = "n2";
  b.port = 70000;
  EXPECT_NE(message_of([&] { validate_nodes({a, b}); }).find("invalid port"), std::string::npos);
  b.port = 22;
  b.host = "10.0.0.2;id";
  EXPECT_NE(message_of([&] { validate_nodes({a, b}); }).find("invalid host"), std::string::npos);
}

TEST(NodesFile, RoundTripsEveryField) {
  NodesFile file;
  file.local = true;
  file.cluster = "demo";
  file.dir = "/var/lib/faultline/clusters/demo";
  file.subnet = "10.77.9.0/24";
  Node full;
  full.name = "n1";
  full.host = "10.77.9.1";
  full.port = 2222;
  full.user = "admin";
  full.key_file = "/k";
  full.known_hosts = "/kh";
  full.strict_host_keys = false;
  full.sudo = true;
  full.sudo_password = "secret";
  full.local = true;
  full.netns = "fl-demo-n1";
  full.cluster = "demo";
  file.nodes.push_back(full);
  std::string text = format_nodes_file(file);
  EXPECT_EQ(text.find("secret"), std::string::npos) << "sudo passwords are never written";
  NodesFile back = parse_nodes_file(text, "nodes.json");
  ASSERT_EQ(back.nodes.size(), 1u);
  const Node& node = back.nodes[0];
  EXPECT_EQ(node.name, "n1");
  EXPECT_EQ(node.host, "10.77.9.1");
  EXPECT_EQ(node.port, 2222);
  EXPECT_EQ(node.user, "admin");
  EXPECT_EQ(node.key_file, "/k");
  EXPECT_EQ(node.known_hosts, "/kh");
  EXPECT_FALSE(node.strict_host_keys);
  EXPECT_TRUE(node.sudo);
  EXPECT_FALSE(node.sudo_password.has_value());
  EXPECT_TRUE(node.local);
  EXPECT_EQ(node.netns, "fl-demo-n1");
  EXPECT_TRUE(back.local);
  EXPECT_EQ(back.cluster, "demo");
  EXPECT_EQ(back.subnet, "10.77.9.0/24");
}

TEST(NodesFile, MinimalFileGetsDefaults) {
  NodesFile file = parse_nodes_file(R"({"nodes": [{"name": "db1", "host": "db1.example"}]})", "f");
  ASSERT_EQ(file.nodes.size(), 1u);
  EXPECT_EQ(file.nodes[0].port, 22);
  EXPECT_EQ(file.nodes[0].user, "root");
  EXPECT_TRUE(file.nodes[0].strict_host_keys);
  EXPECT_FALSE(file.nodes[0].local);
}

TEST(NodesFile, ErrorsNameTheFileAndTheProblem) {
  EXPECT_NE(message_of([] { parse_nodes_file("{", "x.json"); }).find("x.json: not valid JSON"),
            std::string::npos);
  EXPECT_NE(message_of([] { parse_nodes_file(R"({"nodes": []})", "x.json"); }).find("non-empty"),
            std::string::npos);
  EXPECT_NE(message_of([] {
              parse_nodes_file(R"({"nodes": [{"name": "n1"}]})", "x.json");
            }).find("x.json: nodes[0]: \"host\" is required"),
            std::string::npos);
  std::string bad = message_of([] {
    parse_nodes_file(R"({"nodes": [{"name": "n1;touch /tmp/p", "host": "h"}]})", "x.json");
  });
  EXPECT_NE(bad.find("x.json"), std::string::npos) << bad;
  EXPECT_NE(bad.find("invalid node name"), std::string::npos) << bad;
  EXPECT_NE(message_of([] {
              read_nodes_file("/nonexistent/nodes.json");
            }).find("cannot read nodes file /nonexistent/nodes.json"),
            std::string::npos);
}

TEST(NodeOptions, HostsListGetsNamesAndOverrides) {
  NodeOptions options;
  options.nodes = "10.0.0.1,db2=10.0.0.2";
  options.ssh_user = "admin";
  options.ssh_port = 2200;
  options.ssh_key = "/keys/id";
  options.no_strict_host_keys = true;
  options.sudo = true;
  NodesFile file = resolve_nodes(options);
  ASSERT_EQ(file.nodes.size(), 2u);
  EXPECT_EQ(file.nodes[0].name, "n1");
  EXPECT_EQ(file.nodes[0].host, "10.0.0.1");
  EXPECT_EQ(file.nodes[1].name, "db2");
  EXPECT_EQ(file.nodes[1].host, "10.0.0.2");
  for (const auto& node : file.nodes) {
    EXPECT_EQ(node.user, "admin");
    EXPECT_EQ(node.port, 2200);
    EXPECT_EQ(node.key_file, "/keys/id");
    EXPECT_FALSE(node.strict_host_keys);
    EXPECT_TRUE(node.sudo);
  }
}

TEST(NodeOptions, RejectsNamesWithShellMetacharacters) {
  NodeOptions options;
  options.nodes = "x;touch /tmp/faultline-pwned=10.0.0.1";
  EXPECT_NE(message_of([&] { resolve_nodes(options); }).find("invalid node name"),
            std::string::npos);
  options.nodes = "a,,b";
  EXPECT_NE(message_of([&] { resolve_nodes(options); }).find("empty entry"), std::string::npos);
}

TEST(NodeOptions, MissingLocalClusterSaysWhatToDo) {
  NodeOptions options;
  options.cluster = "no-such-cluster-here";
  EXPECT_NE(message_of([&] { resolve_nodes(options); }).find("faultline cluster up"),
            std::string::npos);
}

TEST(NodeOptions, NodesFileIsReadAndOverridden) {
  auto path = std::filesystem::temp_directory_path() /
              ("faultline-nodes-" + std::to_string(::getpid()) + ".json");
  {
    std::ofstream out(path);
    out << R"({"nodes": [{"name": "a", "host": "h1", "port": 2222}, {"name": "b", "host": "h2"}]})";
  }
  NodeOptions options;
  options.nodes_file = path.string();
  options.known_hosts = "/etc/kh";
  NodesFile file = resolve_nodes(options);
  std::filesystem::remove(path);
  ASSERT_EQ(file.nodes.size(), 2u);
  EXPECT_EQ(file.nodes[0].port, 2222);
  EXPECT_EQ(file.nodes[1].known_hosts, "/etc/kh");
}

}  // namespace
}  // namespace faultline::remote
