// TEMPORARY: placeholders until the EDN and Porcupine readers land (issue 2). Delete this file.
#include "checker/history/formats.h"

namespace faultline {
std::unique_ptr<OperationReader> make_edn_reader(std::istream&, const std::string& file) {
  throw InputError(file, 1, 1, "edn reader not built yet");
}
std::unique_ptr<OperationReader> make_porcupine_etcd_reader(std::istream&, const std::string& file) {
  throw InputError(file, 1, 1, "porcupine-etcd reader not built yet");
}
std::unique_ptr<OperationReader> make_porcupine_kv_reader(std::istream&, const std::string& file) {
  throw InputError(file, 1, 1, "porcupine-kv reader not built yet");
}
HistoryFormat detect_format(std::istream&, const std::string&) { return HistoryFormat::kJsonl; }
}  // namespace faultline
