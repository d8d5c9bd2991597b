#include "remote/local_exec.h"

#include <gtest/gtest.h>

namespace faultline::remote {
namespace {

TEST(RunLocal, CapturesStatusAndBothStreams) {
  LocalResult result = run_local({"sh", "-c", "cat; echo err >&2; exit 3"}, {"in\n"});
  EXPECT_EQ(result.exit_status, 3);
  EXPECT_EQ(result.out, "in\n");
  EXPECT_EQ(result.err, "err\n");
}

TEST(RunLocal, LargeOutputsOnBothStreamsDoNotDeadlock) {
  LocalResult result =
      run_local({"sh", "-c", "head -c 1000000 /dev/zero & head -c 1000000 /dev/zero >&2; wait"});
  EXPECT_EQ(result.exit_status, 0);
  EXPECT_EQ(result.out.size(), 1000000u);
  EXPECT_EQ(result.err.size(), 1000000u);
}

TEST(RunLocal, TimeoutKills) {
  auto start = std::chrono::steady_clock::now();
  LocalResult result = run_local({"sleep", "20"}, {"", std::chrono::milliseconds(200)});
  EXPECT_TRUE(result.timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(CheckLocal, FailureNamesTheCommandAndStderr) {
  try {
    check_local({"sh", "-c", "echo broken >&2; exit 2"});
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("status 2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("broken"), std::string::npos) << e.what();
  }
  EXPECT_THROW(run_local({"/nonexistent/program"}), std::runtime_error);
}

}  // namespace
}  // namespace faultline::remote
