#pragma once
// A fixture for tests that run the real faultline binary on files they write: a private
// directory per test (removed afterwards, pass or fail) and `faultline ARGS...` with its
// exit code, stdout and stderr (tests/support/subprocess.h).

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace faultline::testing {

class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("faultline-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes `text` to DIR/name (directories created) and returns its path.
  std::string write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  // `faultline args...`
  static Outcome faultline(std::vector<std::string> args,
                           std::chrono::seconds timeout = std::chrono::seconds(120)) {
    args.insert(args.begin(), FAULTLINE_BINARY);
    return run(args, timeout);
  }

  std::filesystem::path dir_;
};

}  // namespace faultline::testing
