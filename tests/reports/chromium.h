#pragma once
// Headless Chromium for the report tests: loads a page, returns its DOM after the
// scripts ran and every console message, optionally a screenshot. Every request that
// leaves the browser goes through a recording proxy, so a page that fetches anything
// (a font, an image, a script) is caught; Chromium's own background requests to
// Google's update and account services are told apart and ignored.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace faultline::test {

// Path of the chromium binary, or nullopt when it is not installed.
std::optional<std::string> find_chromium();

struct PageLoad {
  int exit_code = -1;
  std::string dom;                         // --dump-dom output
  std::vector<std::string> console;        // console messages, uncaught errors included
  std::vector<std::string> page_requests;  // requests the page made (request lines)
};

// Loads `url`. With `screenshot`, a second run saves a PNG of `width` x `height`.
// `record_loopback`: loopback requests go through the proxy too (file:// pages);
// false for a page served from loopback itself. `virtual_time_ms` > 0: the DOM is taken after
// that much of the page's (virtual) time, so its timers run (a page that polls).
PageLoad load_page(const std::string& chromium, const std::string& url,
                   const std::optional<std::filesystem::path>& screenshot = std::nullopt,
                   int width = 1280, int height = 2400, bool record_loopback = true,
                   int virtual_time_ms = 0);

}  // namespace faultline::test
