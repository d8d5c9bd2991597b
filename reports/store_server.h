#pragma once
// StoreServer: the HTTP side of `faultline serve` (Boost.Beast). Serves
//   /                 the index of runs (store_index.h), rebuilt on every request;
//   /api/runs         the same list as JSON;
//   /api/compares     the compare pages of <store>/compare/ as JSON (listed on / too);
//   /runs/<path>      files of the store: reports, histories, results, node logs, and
//                     directory listings. A run without report.html gets one rendered
//                     on first request, unless it is still running (run_status.h): then
//                     its report.html redirects (302) to its live view;
//   /runs/<run>/live  the live view of a run directory (live_run.h), and
//   /runs/<run>/live.json  its document, both read anew from the run's files on every
//                     request (Cache-Control: no-store).
// Only GET and HEAD. Paths are percent-decoded, then any "..", "." or empty segment,
// backslash or NUL is refused, and the resolved file (symbolic links followed) must lie
// inside the store: nothing outside it can be read. Files other than .html, .json, .png,
// .svg and .xml are sent as text/plain, with nosniff.

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

namespace faultline {

class StoreServer {
 public:
  // Binds to address:port (port 0: any free port). Throws std::runtime_error naming
  // the address if it cannot bind.
  StoreServer(std::filesystem::path store, const std::string& address, unsigned short port);
  ~StoreServer();
  StoreServer(const StoreServer&) = delete;
  StoreServer& operator=(const StoreServer&) = delete;

  unsigned short port() const;
  // Serves until stop() is called (from another thread or a signal handler's thread).
  // Each connection is handled on its own thread.
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Maps a request target ("/runs/a/b.json?x") to a path relative to the store
// ("a/b.json"), or "" when the target is unsafe or malformed. Exposed for tests.
std::string store_relative_path(const std::string& target);

}  // namespace faultline
