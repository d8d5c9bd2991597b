#pragma once
// Helpers for the reports tests: a temporary directory and small histories.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "checker/history/history.h"

namespace faultline::test {

// A fresh directory, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "faultline-reports-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline Operation make_op(std::int64_t index, OpType type, std::int64_t process, std::string f,
                         boost::json::value value, std::int64_t time_ns) {
  Operation op;
  op.index = index;
  op.type = type;
  op.process = process;
  op.f = std::move(f);
  op.value = std::move(value);
  op.time = time_ns;
  return op;
}

// A register history of `n` client operations over `processes` processes, with a
// partition from 30% to 60% of it and values that try to break out of the page.
inline History hostile_history(std::size_t n, std::size_t processes = 4) {
  History h;
  h.source = "hostile<script>.jsonl";
  std::mt19937 rng(7);
  std::int64_t t = 1000, index = 0;
  auto push = [&](Operation op) {
    op.index = index++;
    h.ops.push_back(std::move(op));
  };
  for (std::size_t i = 0; i < n; i += processes) {
    if (i == n * 3 / 10) {
      push(make_op(0, OpType::kInvoke, kNemesisProcess, "start-partition", nullptr, t));
      push(make_op(0, OpType::kInfo, kNemesisProcess, "start-partition",
                   "<script>alert('n')</script>", t + 10));
    }
    if (i == n * 6 / 10) {
      push(make_op(0, OpType::kInvoke, kNemesisProcess, "stop-partition", nullptr, t));
      push(make_op(0, OpType::kInfo, kNemesisProcess, "stop-partition", nullptr, t + 10));
    }
    std::size_t batch = std::min(processes, n - i);
    for (std::size_t p = 0; p < batch; ++p) {
      boost::json::value v = (i + p) % 7 == 0
                                 ? boost::json::value("</script><script>alert(\"x\")</script>")
                                 : boost::json::value(static_cast<std::int64_t>((i + p) % 5));
      push(make_op(0, OpType::kInvoke, static_cast<std::int64_t>(p), (i + p) % 2 ? "read" : "write",
                   v, t + static_cast<std::int64_t>(p) * 100));
    }
    t += 1000 + static_cast<std::int64_t>(rng() % 50000);
    for (std::size_t p = 0; p < batch; ++p) {
      OpType type = (i + p) % 11 == 0 ? OpType::kFail : OpType::kOk;
      boost::json::value v = (i + p) % 2 ? boost::json::value("\"quoted\" & 'single' <b>")
                                         : boost::json::value(nullptr);
      push(make_op(0, type, static_cast<std::int64_t>(p), (i + p) % 2 ? "read" : "write", v,
                   t + static_cast<std::int64_t>(p) * 100));
    }
    t += 1000;
  }
  return h;
}

// The clock fault's records as the nemesis writes them (nemesis/clock.cpp): start-clock with
// each target's measurements before and after the change, clock-offsets samples while it is
// in force, stop-clock with the measurements around the reset.
inline History clock_fault_history() {
  auto measured = [](double system, double faked) {
    return boost::json::object{{"system_offset_ms", system}, {"faketime_offset_ms", faked}};
  };
  History h;
  h.source = "clock.jsonl";
  h.ops = {
      make_op(0, OpType::kInvoke, 0, "write", 1, 1'000'000),
      make_op(1, OpType::kOk, 0, "write", 1, 2'000'000),
      make_op(2, OpType::kInfo, kNemesisProcess, "start-clock",
              {{"strategy", "faketime"},
               {"mode", "bump"},
               {"offset_ms", 5000},
               {"targets", {"n2"}},
               {"nodes", {{"n2", {{"before", measured(0.4, 0)}, {"after", measured(0.5, 5000)}}}}}},
              1'000'000'000),
      make_op(3, OpType::kInfo, kNemesisProcess, "clock-offsets",
              {{"offsets", {{"n1", measured(-0.3, 0)}, {"n2", measured(0.2, 5000)}}}},
              2'000'000'000),
      make_op(4, OpType::kInfo, kNemesisProcess, "stop-clock",
              {{"reset",
                {{"n1", boost::json::object{}},
                 {"n2", {{"before", measured(0.1, 5000)}, {"after", measured(0.3, 0)}}}}}},
              3'000'000'000),
      make_op(5, OpType::kInvoke, 1, "read", nullptr, 3'500'000'000),
      make_op(6, OpType::kOk, 1, "read", 1, 3'600'000'000)};
  return h;
}

}  // namespace faultline::test
