#pragma once
// What the browser tests share: skipping without Chromium, the checks of a clean page load
// (no console message, no request, scripts finished), and `faultline serve` as a child
// process.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "tests/reports/chromium.h"

namespace faultline::test {

inline std::string chromium_or_skip() {
  auto chromium = find_chromium();
  return chromium ? *chromium : std::string();
}

#define REQUIRE_CHROMIUM(var)                              \
  std::string var = ::faultline::test::chromium_or_skip(); \
  if (var.empty()) GTEST_SKIP() << "chromium is not installed (apt-get install chromium)"

inline void expect_clean_load(const PageLoad& load) {
  EXPECT_EQ(load.exit_code, 0);
  EXPECT_TRUE(load.console.empty()) << "console: " << load.console.front();
  EXPECT_TRUE(load.page_requests.empty()) << "request: " << load.page_requests.front();
  EXPECT_NE(load.dom.find("data-rendered=\"1\""), std::string::npos)
      << "the scripts did not finish";
}

// `faultline serve` as a child process; SIGTERM on destruction.
class ServeProcess {
 public:
  explicit ServeProcess(const std::filesystem::path& store) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      execl(FAULTLINE_BINARY, FAULTLINE_BINARY, "serve", "--store", store.c_str(), "--port", "0",
            nullptr);
      _exit(127);
    }
    close(fds[1]);
    std::string line;
    char c;
    while (read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    close(fds[0]);
    auto colon = line.rfind(':', line.find("/ ("));
    if (colon != std::string::npos) port_ = std::stoi(line.substr(colon + 1));
  }
  ~ServeProcess() {
    if (pid_ > 0 && exit_status_ < 0) stop();
  }
  int stop() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_status_;
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_status_ = -1;
};

}  // namespace faultline::test
