// SshSession and NodeSet against real sshds in a local cluster.

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "remote/errors.h"
#include "remote/local_exec.h"
#include "remote/node_set.h"
#include "tests/support/local_cluster.h"

namespace faultline::remote {
namespace {

using namespace std::chrono_literals;

class SessionTest : public ::testing::Test {
 protected:
  SessionTest()
      : cluster_({testing::unique_cluster_name("sess"), 2, {}}), nodes_(cluster_.nodes()) {}
  ScopedLocalCluster cluster_;
  NodeSet nodes_;
};

// Processes named `comm` in the node's network namespace.
int processes_named(const Node& node, const std::string& comm) {
  LocalResult pids = run_local({"ip", "netns", "pids", node.netns});
  int count = 0;
  std::istringstream in(pids.out);
  for (std::string pid; in >> pid;) {
    std::ifstream file("/proc/" + pid + "/comm");
    std::string name;
    std::getline(file, name);
    count += name == comm;
  }
  return count;
}

TEST_F(SessionTest, ExitStatusStdoutAndStderr) {
  CommandResult result =
      nodes_.session("n1").exec(Command{"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(result.exit_status, 3);
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
  try {
    nodes_.session("n2").run(Command{"sh", "-c", "echo 'no such table' >&2; exit 4"});
    FAIL() << "run() accepted exit status 4";
  } catch (const RemoteError& e) {
    EXPECT_EQ(e.node(), "n2");
    EXPECT_EQ(e.exit_status(), 4);
    EXPECT_EQ(e.stderr_tail(), "no such table");
    std::string what = e.what();
    EXPECT_NE(what.find("node n2"), std::string::npos) << what;
    EXPECT_NE(what.find("sh -c"), std::string::npos) << what;
    EXPECT_NE(what.find("status 4"), std::string::npos) << what;
  }
  CommandResult killed = nodes_.session("n1").exec(Command{"sh", "-c", "kill -9 $$"});
  EXPECT_EQ(killed.exit_signal, "KILL");
  EXPECT_FALSE(killed.ok());
}

TEST_F(SessionTest, MegabytesOnBothStreamsAndStdinAtOnce) {
  // 1 MB on stdout and stderr written concurrently: reading one stream must not block the other.
  CommandResult both = nodes_.session("n1").run(Command{
      "sh", "-c", "head -c 1048576 /dev/zero & head -c 1048576 /dev/zero | tr '\\0' e >&2; wait"});
  EXPECT_EQ(both.out, std::string(1 << 20, '\0'));
  EXPECT_EQ(both.err, std::string(1 << 20, 'e'));
  // 1 MB in while 1 MB comes back out: writing stdin must not block reading stdout.
  std::string input(1 << 20, 'i');
  CommandResult echoed = nodes_.session("n1").run(Command{"cat"}.with_stdin(input));
  EXPECT_EQ(echoed.out.size(), input.size());
  EXPECT_EQ(echoed.out, input);
}

TEST_F(SessionTest, UploadDownloadRoundTrip) {
  std::string data;
  for (int i = 0; i < 300000; ++i) data += static_cast<char>((i * 7 + i / 256) & 0xff);
  SshSession& n2 = nodes_.session("n2");
  n2.upload_data(data, "/tmp/faultline upload 'test'.bin", 0600);
  EXPECT_EQ(n2.run(Command{"stat", "-c", "%a %s", "/tmp/faultline upload 'test'.bin"}).out,
            "600 300000\n");
  EXPECT_EQ(n2.download_data("/tmp/faultline upload 'test'.bin"), data);
  // Each node has its own /tmp, as separate machines would.
  EXPECT_FALSE(
      nodes_.session("n1").exec(Command{"test", "-e", "/tmp/faultline upload 'test'.bin"}).ok());
  try {
    n2.download_data("/tmp/does-not-exist");
    FAIL() << "download of a missing file succeeded";
  } catch (const RemoteError& e) {
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
  }
}

TEST_F(SessionTest, TimeoutKillsTheCommandAndTheSessionStaysUsable) {
  SshSession& n1 = nodes_.session("n1");
  auto start = std::chrono::steady_clock::now();
  try {
    n1.run(Command{"sh", "-c", "sleep 30; echo done"}.with_timeout(400ms));
    FAIL() << "no timeout";
  } catch (const CommandTimeout& e) {
    EXPECT_EQ(e.node(), "n1");
    EXPECT_NE(std::string(e.what()).find("timed out after 400 ms"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_EQ(n1.run(Command{"echo", "still here"}).out, "still here\n");
  // The node killed the command (and its children) too.
  auto deadline = std::chrono::steady_clock::now() + 3s;
  while (processes_named(nodes_.node("n1"), "sleep") > 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(processes_named(nodes_.node("n1"), "sleep"), 0);
}

TEST_F(SessionTest, MetacharactersInArgumentsArePassedLiterally) {
  std::vector<std::string> words{
      "$(touch /tmp/x)", "; touch /tmp/y;", "`touch /tmp/z`", "'", "\"", "a\nb\n", "", "*",
      "$HOME",           "&& touch /tmp/w"};
  std::vector<std::string> argv{"printf", "%s\\000"};
  argv.insert(argv.end(), words.begin(), words.end());
  NodeResults results = nodes_.run_all(Command(argv));
  std::string expected;
  for (const auto& word : words) expected += word + '\0';
  for (const auto& [name, result] : results) EXPECT_EQ(result.out, expected) << name;
  NodeResults touched =
      nodes_.exec_all(Command{"sh", "-c", "ls /tmp/x /tmp/y /tmp/z /tmp/w 2>/dev/null | wc -l"});
  for (const auto& [name, result] : touched) EXPECT_EQ(result.out, "0\n") << name;
}

TEST_F(SessionTest, RunAllIsParallelAndRunEachSendsPerNodeCommands) {
  auto start = std::chrono::steady_clock::now();
  nodes_.run_all(Command{"sleep", "0.5"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms) << "nodes ran one after the other";
  NodeResults each = nodes_.run_each(nodes_.names(), [](const Node& node) {
    return Command{"echo", "I am " + node.name};
  });
  EXPECT_EQ(each["n1"].out, "I am n1\n");
  EXPECT_EQ(each["n2"].out, "I am n2\n");
  try {
    nodes_.run_all(Command{"sh", "-c", "test $(hostname) = n1"});
    FAIL() << "n2's failure was not reported";
  } catch (const RemoteError& e) {
    EXPECT_EQ(e.node(), "n2");
  }
}

TEST_F(SessionTest, WrongHostKeyIsRefusedUnlessOptedOut) {
  // Give n1 the host key line of n2: n1's real key no longer matches.
  const std::string known_hosts = cluster_.nodes()[0].known_hosts;
  std::ifstream in(known_hosts);
  std::string line1, line2;
  std::getline(in, line1);
  std::getline(in, line2);
  const std::string tampered_path = "/tmp/faultline-known-hosts-" + std::to_string(::getpid());
  struct Remover {
    std::string path;
    ~Remover() { std::filesystem::remove(path); }
  } remover{tampered_path};
  std::ofstream(tampered_path) << line1.substr(0, line1.find(' ')) << line2.substr(line2.find(' '))
                               << '\n';
  Node node = cluster_.nodes()[0];
  node.known_hosts = tampered_path;
  try {
    SshSession(node).exec(Command{"true"});
    FAIL() << "a changed host key was accepted";
  } catch (const HostKeyError& e) {
    std::string what = e.what();
    EXPECT_EQ(e.node(), "n1");
    EXPECT_NE(what.find("node n1"), std::string::npos) << what;
    EXPECT_NE(what.find("does not match"), std::string::npos) << what;
    EXPECT_NE(what.find("--no-strict-host-keys"), std::string::npos) << what;
  }
  std::ofstream(tampered_path, std::ios::trunc) << "";
  try {
    SshSession(node).exec(Command{"true"});
    FAIL() << "an unknown host key was accepted";
  } catch (const HostKeyError& e) {
    EXPECT_NE(std::string(e.what()).find("is not in"), std::string::npos) << e.what();
  }
  node.strict_host_keys = false;
  EXPECT_EQ(SshSession(node).run(Command{"hostname"}).out, "n1\n");
}

TEST_F(SessionTest, UnreachableNodeIsNamedQuickly) {
  Node ghost = cluster_.nodes()[0];
  ghost.name = "ghost";
  ghost.port = 2;  // nothing listens there: connection refused
  auto start = std::chrono::steady_clock::now();
  try {
    SshSession(ghost, {1000ms, 2, 50ms}).exec(Command{"true"});
    FAIL() << "connected to nothing";
  } catch (const NodeUnreachable& e) {
    EXPECT_EQ(e.node(), "ghost");
    std::string what = e.what();
    EXPECT_NE(what.find("cannot connect"), std::string::npos) << what;
    EXPECT_NE(what.find("after 2 attempts"), std::string::npos) << what;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  Node wrong_key = cluster_.nodes()[0];
  wrong_key.key_file = cluster_.nodes_file().dir + "/nodes/n1/ssh_host_ed25519_key";
  try {
    SshSession(wrong_key).exec(Command{"true"});
    FAIL() << "authenticated with a key that is not authorized";
  } catch (const NodeUnreachable& e) {
    EXPECT_NE(std::string(e.what()).find("authentication as root"), std::string::npos) << e.what();
  }
}

TEST_F(SessionTest, NodeNameWithMetacharactersCannotRunAnything) {
  Node evil = cluster_.nodes()[0];
  evil.name = "n1;touch /tmp/faultline-pwned";
  EXPECT_THROW(NodeSet({evil}), ConfigError);
  EXPECT_FALSE(std::filesystem::exists("/tmp/faultline-pwned"));
}

}  // namespace
}  // namespace faultline::remote
