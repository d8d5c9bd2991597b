#pragma once
// The run store: one directory per test run, everything needed to understand or re-check it.
//
//   <root>/<test-name>/<YYYYMMDDTHHMMSS>/
//     history.jsonl   every operation, appended and flushed as it completes
//     test.json       the full configuration: seed, versions of faultline and the database, nodes
//     results.json    the checker's document plus the run's performance figures
//     faultline.log   what the controller did, with times since the run started
//     nodes/<node>/   the database's logs from each node
//   <root>/latest     symlink to the newest run
//
// A second run in the same second gets a "-2", "-3", ... suffix.

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>

namespace faultline {

// Local time now in strftime `format`; kRunStamp names run directories (and compare reports).
inline constexpr const char* kRunStamp = "%Y%m%dT%H%M%S";
std::string local_time(const char* format);

class RunStore {
 public:
  // Creates the run's directory (and its parents) and points <root>/latest at it. Throws
  // std::runtime_error naming the path when it cannot.
  static RunStore create(const std::filesystem::path& root, const std::string& test_name);
  explicit RunStore(std::filesystem::path dir) : dir_(std::move(dir)) {}

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path history_path() const { return dir_ / "history.jsonl"; }
  std::filesystem::path nodes_dir() const { return dir_ / "nodes"; }

  // Writes dir/name as indented JSON (written to a temporary file, then renamed).
  void write_json(const std::string& name, const boost::json::value& value) const;

 private:
  std::filesystem::path dir_;
};

// JSON with two-space indentation, for files people read.
std::string pretty_json(const boost::json::value& value);

// The run's log: faultline.log, each line prefixed with seconds since the run started.
// Optionally echoed to stderr (on a terminal, over the progress line). Thread-safe.
class RunLog {
 public:
  RunLog(const std::filesystem::path& file, bool echo, bool terminal = false);
  void line(const std::string& text);
  // To faultline.log only, never echoed: for what the run prints on stdout anyway (the verdict).
  void note(const std::string& text);

 private:
  void write(const std::string& text, bool echo);

  std::mutex mutex_;
  std::ofstream out_;
  bool echo_, terminal_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace faultline
