// EtcdClient against a real single-member etcd on 127.0.0.1, and against servers that refuse
// or never answer: the operations of each workload and Jepsen's outcome rules.

#include "adapters/etcd/etcd_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

namespace faultline::adapters {
namespace {

using namespace std::chrono_literals;

// A TCP port nobody listens on right now (bound, then released).
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// A listening socket that never accepts: connections complete, requests go unanswered.
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentServer() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// One etcd member in a temporary directory; killed and removed on destruction.
class LocalEtcd {
 public:
  LocalEtcd() {
    dir_ = std::filesystem::temp_directory_path() /
           ("faultline-etcd-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    port_ = free_port();
    int peer = free_port();
    std::string client_url = "http://127.0.0.1:" + std::to_string(port_);
    std::string peer_url = "http://127.0.0.1:" + std::to_string(peer);
    std::string log = (dir_ / "etcd.log").string();
    pid_ = ::fork();
    if (pid_ == 0) {
      FILE* out = std::freopen(log.c_str(), "w", stderr);
      (void)out;
      std::string data = (dir_ / "data").string(), cluster = "t=" + peer_url;
      ::execlp("etcd", "etcd", "--name", "t", "--data-dir", data.c_str(), "--listen-client-urls",
               client_url.c_str(), "--advertise-client-urls", client_url.c_str(),
               "--listen-peer-urls", peer_url.c_str(), "--initial-advertise-peer-urls",
               peer_url.c_str(), "--initial-cluster", cluster.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~LocalEtcd() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  int port() const { return port_; }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

Operation op(const std::string& f, boost::json::value value, std::optional<std::int64_t> key = {}) {
  Operation o;
  o.process = 0;
  o.f = f;
  o.value = std::move(value);
  if (key) o.key = boost::json::value(*key);
  return o;
}

ClientOptions options(const std::string& workload, bool linearizable = true,
                      std::chrono::milliseconds timeout = 2s) {
  return ClientOptions{workload, linearizable, timeout};
}

class EtcdClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EtcdClient probe("t", "127.0.0.1", etcd_.port(), options("register", true, 500ms));
    auto deadline = std::chrono::steady_clock::now() + 15s;
    while (probe.invoke(op("read", nullptr, 0)).type != OpType::kOk) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "etcd did not start";
      std::this_thread::sleep_for(100ms);
    }
  }
  EtcdClient client(const std::string& workload, bool linearizable = true) {
    return EtcdClient("t", "127.0.0.1", etcd_.port(), options(workload, linearizable));
  }
  LocalEtcd etcd_;
};

TEST_F(EtcdClientTest, RegisterReadsWritesAndComparesAndSets) {
  EtcdClient c = client("register");
  Operation missing = c.invoke(op("read", nullptr, 1));
  EXPECT_EQ(missing.type, OpType::kOk);
  EXPECT_TRUE(missing.value.is_null());
  EXPECT_EQ(missing.node, "t");
  EXPECT_EQ(c.invoke(op("write", 5, 1)).type, OpType::kOk);
  EXPECT_EQ(c.invoke(op("read", nullptr, 1)).value, 5);
  EXPECT_EQ(c.invoke(op("cas", boost::json::array{5, 6}, 1)).type, OpType::kOk);
  Operation refused = c.invoke(op("cas", boost::json::array{5, 7}, 1));
  EXPECT_EQ(refused.type, OpType::kFail);
  EXPECT_EQ(refused.error, boost::json::value("compare failed"));
  EXPECT_EQ(refused.value, (boost::json::array{5, 7}));  // the invocation's value, kept
  EXPECT_EQ(client("register", false).invoke(op("read", nullptr, 1)).value, 6);
  EXPECT_TRUE(c.invoke(op("read", nullptr, 2)).value.is_null()) << "keys are independent";
}

TEST_F(EtcdClientTest, SetAddsAndReadsAllElements) {
  EtcdClient c = client("set");
  for (int e : {3, 1, 20}) EXPECT_EQ(c.invoke(op("add", e)).type, OpType::kOk);
  Operation r = c.invoke(op("read", nullptr));
  ASSERT_EQ(r.type, OpType::kOk);
  std::set<std::int64_t> seen;
  for (const auto& v : r.value.as_array()) seen.insert(v.as_int64());
  EXPECT_EQ(seen, (std::set<std::int64_t>{1, 3, 20}));
}

TEST_F(EtcdClientTest, BankTransfersKeepTheTotalAndRefuseOverdrafts) {
  EtcdClient c = client("bank");
  ASSERT_EQ(c.invoke(op("init", boost::json::object{{"0", 10}, {"1", 10}})).type, OpType::kOk);
  auto transfer = [](std::int64_t amount) {
    return op("transfer", boost::json::object{{"from", "0"}, {"to", "1"}, {"amount", amount}});
  };
  EXPECT_EQ(c.invoke(transfer(3)).type, OpType::kOk);
  Operation overdraft = c.invoke(transfer(100));
  EXPECT_EQ(overdraft.type, OpType::kFail);
  EXPECT_EQ(overdraft.error, boost::json::value("insufficient funds"));
  EXPECT_EQ(c.invoke(op("read", nullptr)).value, (boost::json::object{{"0", 7}, {"1", 13}}));
}

TEST(EtcdClientOutcomes, RefusedConnectionsFailBecauseNothingWasSent) {
  EtcdClient c("t", "127.0.0.1", free_port(), options("register"));
  EXPECT_EQ(c.invoke(op("write", 1, 1)).type, OpType::kFail);
  EXPECT_EQ(c.invoke(op("read", nullptr, 1)).type, OpType::kFail);
}

TEST(EtcdClientOutcomes, AWriteWithoutAnswerIsUnknownAndAReadFails) {
  SilentServer server;
  EtcdClient c("t", "127.0.0.1", server.port(), options("register", true, 300ms));
  auto start = std::chrono::steady_clock::now();
  Operation write = c.invoke(op("write", 1, 1));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s) << "the timeout must bound a request";
  EXPECT_EQ(write.type, OpType::kInfo);
  EXPECT_EQ(write.error, boost::json::value("timeout"));
  EXPECT_EQ(c.invoke(op("read", nullptr, 1)).type, OpType::kFail);
  // A transfer that times out while reading balances has written nothing.
  EtcdClient bank("t", "127.0.0.1", server.port(), options("bank", true, 300ms));
  EXPECT_EQ(
      bank.invoke(op("transfer", boost::json::object{{"from", "0"}, {"to", "1"}, {"amount", 1}}))
          .type,
      OpType::kFail);
}

}  // namespace
}  // namespace faultline::adapters
