// libFuzzer target: arbitrary bytes read as JSONL and as EDN twice, with the readers'
// fast path (checker/history/fast_record.h) and without it. The two must agree: the same
// operations (as their canonical JSON) or the same error message; a difference aborts.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "checker/history/fast_record.h"
#include "checker/history/formats.h"
#include "checker/history/jsonl.h"

namespace {

std::string read_all(const std::string& bytes, bool edn, bool fast) {
  faultline::set_fast_read_enabled(fast);
  std::istringstream in(bytes);
  std::string out;
  try {
    auto reader =
        edn ? faultline::make_edn_reader(in, "fuzz") : faultline::make_jsonl_reader(in, "fuzz");
    faultline::Operation op;
    while (reader->next(op)) {
      out += boost::json::serialize(faultline::to_json(op));
      out += " line " + std::to_string(op.line) + '\n';
    }
  } catch (const faultline::InputError& e) {
    out += std::string("error: ") + e.what();
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  for (bool edn : {false, true}) {
    if (read_all(bytes, edn, true) != read_all(bytes, edn, false)) std::abort();
  }
  return 0;
}
