// make_porcupine_kv_reader: Porcupine's key-value histories, one EDN operation map
// with :key per line, e.g.
//   {:process 9, :type :invoke, :f :append, :key "0", :value "x 9 0 y"}
// Blank lines and `;` comment lines are skipped. The maps are read exactly as the EDN
// reader reads them (edn_operation.h); the line structure and :key are enforced here.

#include <sstream>

#include "checker/history/edn_operation.h"
#include "checker/history/formats.h"
#include "checker/history/line_reader.h"

namespace faultline {
namespace {

class PorcupineKvReader : public LineOperationReader {
 public:
  PorcupineKvReader(std::istream& in, std::string file)
      : LineOperationReader(in, std::move(file), "porcupine-kv") {}

 private:
  bool parse_line(std::string_view text, Operation& out) override {
    std::istringstream line_in{std::string(text)};
    EdnReader edn(line_in, file_, EdnPosition{line_, 1});
    if (edn.peek() == EdnReader::kEnd) return false;  // blank or comment
    read_edn_operation(edn, out);
    if (edn.peek() != EdnReader::kEnd) edn.fail("more than one form on this line");
    if (!out.key && !out.is_nemesis()) {
      throw InputError(file_, line_, 1, "operation has no :key");
    }
    return true;
  }
};

}  // namespace

std::unique_ptr<OperationReader> make_porcupine_kv_reader(std::istream& in,
                                                          const std::string& file) {
  return std::make_unique<PorcupineKvReader>(in, file);
}

}  // namespace faultline
