// The client protocol as a user's client program sees it (docs/client-protocol.md): tiny
// clients written as bash scripts here, run by ProcessClient on this machine.

#include "adapters/script/process_client.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace faultline::adapters {
namespace {

using namespace std::chrono_literals;

class ProcessClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("faultline-pclient-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes an executable bash client named `name` into the test's folder.
  void client_script(const std::string& name, const std::string& body) {
    std::ofstream(dir_ / name) << "#!/bin/bash\n" << body;
    std::filesystem::permissions(dir_ / name, std::filesystem::perms::owner_all);
  }

  std::unique_ptr<ProcessClient> make(const std::string& name,
                                      std::chrono::milliseconds timeout = 2s) {
    ClientProgram program;
    program.argv = {"./" + name};
    program.directory = dir_;
    program.environment = {{"FAULTLINE_NODE", "n2"},
                           {"FAULTLINE_WORKLOAD", "register"},
                           {"FAULTLINE_SETTING_READ", "plain"}};
    program.node = "n2";
    program.startup_allowance = 0ms;
    program.log = [this](const std::string& line) {
      std::lock_guard lock(mutex_);
      log_.push_back(line);
    };
    ClientOptions options;
    options.workload = "register";
    options.timeout = timeout;
    return std::make_unique<ProcessClient>(std::move(program), options);
  }

  static Operation op(std::int64_t process, const std::string& f, boost::json::value value,
                      std::optional<boost::json::value> key = 3) {
    Operation o;
    o.process = process;
    o.f = f;
    o.value = std::move(value);
    o.key = std::move(key);
    return o;
  }

  std::vector<std::string> log() {
    std::lock_guard lock(mutex_);
    return log_;
  }

  std::filesystem::path dir_;
  std::mutex mutex_;
  std::vector<std::string> log_;
};

// Replies ok with what it was sent and its environment, so the test sees both.
constexpr const char* kEchoClient = R"sh(n=0
while IFS= read -r line; do
  n=$((n+1))
  printf '{"type":"ok","value":{"got":%s,"n":%d,"process":"%s","node":"%s","workload":"%s","read":"%s"}}\n' \
    "$line" "$n" "$FAULTLINE_PROCESS" "$FAULTLINE_NODE" "$FAULTLINE_WORKLOAD" "$FAULTLINE_SETTING_READ"
done
)sh";

TEST_F(ProcessClientTest, SendsTheInvocationAsOneJsonLineAndTakesTheReplysValue) {
  client_script("echo.sh", kEchoClient);
  auto client = make("echo.sh");
  Operation done = client->invoke(op(4, "cas", boost::json::array{1, 4}));
  ASSERT_EQ(done.type, OpType::kOk) << (done.error ? boost::json::serialize(*done.error) : "");
  const auto& value = done.value.as_object();
  EXPECT_EQ(boost::json::serialize(value.at("got")), R"({"f":"cas","key":3,"value":[1,4]})");
  EXPECT_EQ(value.at("process"), "4");
  EXPECT_EQ(value.at("node"), "n2");
  EXPECT_EQ(value.at("workload"), "register");
  EXPECT_EQ(value.at("read"), "plain");
  EXPECT_EQ(done.node, "n2");
  // The same program serves the process's next operation.
  Operation second = client->invoke(op(4, "read", nullptr));
  ASSERT_EQ(second.type, OpType::kOk);
  EXPECT_EQ(second.value.as_object().at("n"), 2);
}

TEST_F(ProcessClientTest, FinalReadsCarryTheirMarker) {
  client_script("echo.sh", kEchoClient);
  auto client = make("echo.sh");
  Operation read = op(0, "read", nullptr, std::nullopt);
  read.extra["final"] = true;
  Operation done = client->invoke(read);
  ASSERT_EQ(done.type, OpType::kOk);
  EXPECT_EQ(boost::json::serialize(done.value.as_object().at("got")),
            R"({"f":"read","value":null,"final":true})");
}

TEST_F(ProcessClientTest, FailAndInfoRepliesKeepTheClientsReason) {
  client_script("refuse.sh", R"sh(while read -r line; do
  case $line in
    *'"write"'*) echo '{"type":"info","error":"connection reset"}' ;;
    *) echo '{"type":"fail","error":"compare failed"}' ;;
  esac
done
)sh");
  auto client = make("refuse.sh");
  Operation failed = client->invoke(op(1, "cas", boost::json::array{1, 2}));
  EXPECT_EQ(failed.type, OpType::kFail);
  EXPECT_EQ(*failed.error, "compare failed");
  EXPECT_EQ(failed.value, (boost::json::array{1, 2}));  // the invocation's value stays
  Operation unknown = client->invoke(op(1, "write", 7));
  EXPECT_EQ(unknown.type, OpType::kInfo);
  EXPECT_EQ(*unknown.error, "connection reset");
}

TEST_F(ProcessClientTest, AClientThatExitsMakesTheOperationInfoAndAFreshOneServesTheNext) {
  // Exits 3 on its first line if no marker exists yet; later programs behave.
  client_script(
      "crash.sh",
      R"sh(if [ ! -e crashed ]; then touch crashed; read -r line; echo dying >&2; exit 3; fi
while read -r line; do echo "{\"type\":\"ok\",\"value\":\"$FAULTLINE_PROCESS\"}"; done
)sh");
  auto client = make("crash.sh");
  Operation lost = client->invoke(op(2, "write", 5));
  EXPECT_EQ(lost.type, OpType::kInfo);
  EXPECT_NE(boost::json::serialize(*lost.error).find("exited with status 3"), std::string::npos)
      << *lost.error;
  // The controller continues as process 2 + concurrency, with a fresh program.
  Operation next = client->invoke(op(7, "write", 6));
  ASSERT_EQ(next.type, OpType::kOk) << (next.error ? boost::json::serialize(*next.error) : "");
  EXPECT_EQ(next.value, "7");
  bool stderr_logged = false;
  for (const auto& line : log()) stderr_logged |= line == "client 2 (n2): dying";
  EXPECT_TRUE(stderr_logged) << "stderr is logged line by line, prefixed by the process";
}

TEST_F(ProcessClientTest, ALineThatIsNotAReplyMakesTheOperationInfo) {
  client_script("garbage.sh", R"sh(while read -r line; do echo 'hello there'; done
)sh");
  auto client = make("garbage.sh");
  Operation done = client->invoke(op(0, "read", nullptr));
  EXPECT_EQ(done.type, OpType::kInfo);
  EXPECT_NE(done.error->as_string().find("hello there"), std::string::npos) << *done.error;
  client_script("untyped.sh", R"sh(while read -r line; do echo '{"type":"maybe"}'; done
)sh");
  auto untyped = make("untyped.sh");
  EXPECT_EQ(untyped->invoke(op(0, "read", nullptr)).type, OpType::kInfo);
}

TEST_F(ProcessClientTest, ASlowClientIsCutOffAtTheTimeoutAndKilled) {
  client_script("slow.sh", R"sh(echo $$ > slow.pid
while read -r line; do sleep 30; echo '{"type":"ok"}'; done
)sh");
  auto client = make("slow.sh", 500ms);
  auto began = std::chrono::steady_clock::now();
  Operation done = client->invoke(op(0, "write", 1));
  auto took = std::chrono::steady_clock::now() - began;
  EXPECT_EQ(done.type, OpType::kInfo);
  EXPECT_NE(done.error->as_string().find("timeout"), std::string::npos) << *done.error;
  EXPECT_LT(took, 3s);
  std::string pid;
  std::ifstream(dir_ / "slow.pid") >> pid;
  ASSERT_FALSE(pid.empty());
  // Retired: the program (and its sleep) were killed.
  for (int i = 0; i < 100 && std::filesystem::exists("/proc/" + pid); ++i)
    std::this_thread::sleep_for(20ms);
  EXPECT_FALSE(std::filesystem::exists("/proc/" + pid)) << "the slow client still runs";
}

TEST_F(ProcessClientTest, AProgramThatCannotStartIsRefusedUpFrontAndFailsOperations) {
  EXPECT_THROW(check_program_startable({"./missing.py"}, dir_), DatabaseError);
  EXPECT_THROW(check_program_startable({"no-such-program-faultline"}, dir_), DatabaseError);
  EXPECT_THROW(check_program_startable({}, dir_), DatabaseError);
  EXPECT_NO_THROW(check_program_startable({"bash", "-c", "true"}, dir_));
  client_script("fine.sh", "exit 0\n");
  EXPECT_NO_THROW(check_program_startable({"./fine.sh"}, dir_));
  auto client = make("missing.sh");
  Operation done = client->invoke(op(0, "write", 1));
  EXPECT_EQ(done.type, OpType::kFail);  // nothing reached the store
}

}  // namespace
}  // namespace faultline::adapters
