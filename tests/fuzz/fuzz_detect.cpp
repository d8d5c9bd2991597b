// libFuzzer target: format detection followed by the detected reader (read_history),
// as `faultline history stats FILE` runs it. Only InputError may escape.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "checker/history/history.h"
#include "checker/history/history_stats.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    faultline::History history = faultline::read_history(in, "fuzz");
    (void)faultline::compute_stats(history);
  } catch (const faultline::InputError&) {
  }
  return 0;
}
