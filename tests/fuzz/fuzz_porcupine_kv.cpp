// libFuzzer target: arbitrary bytes through the porcupine_kv history reader. Only InputError
// may escape the reader; anything else (a crash, a sanitizer report, another exception)
// is a bug.

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "checker/history/formats.h"
#include "checker/history/jsonl.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    auto reader = faultline::make_porcupine_kv_reader(in, "fuzz");
    faultline::Operation op;
    while (reader->next(op)) {
      (void)faultline::to_json(op);
    }
  } catch (const faultline::InputError&) {
  }
  return 0;
}
