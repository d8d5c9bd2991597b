#include "checker/history/formats.h"

#include "checker/history/jsonl.h"

namespace faultline {

std::unique_ptr<OperationReader> make_reader(HistoryFormat format, std::istream& in,
                                             const std::string& file) {
  switch (format) {
    case HistoryFormat::kJsonl:
      return make_jsonl_reader(in, file);
    case HistoryFormat::kEdn:
      return make_edn_reader(in, file);
    case HistoryFormat::kPorcupineEtcd:
      return make_porcupine_etcd_reader(in, file);
    case HistoryFormat::kPorcupineKv:
      return make_porcupine_kv_reader(in, file);
  }
  throw std::logic_error("unknown history format");
}

}  // namespace faultline
