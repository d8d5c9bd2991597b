#pragma once
// One factory per history format; make_reader() in history.h dispatches on HistoryFormat.

#include <istream>
#include <memory>
#include <string>

#include "checker/history/history.h"

namespace faultline {

// Jepsen's history.edn: a vector or list of maps, or one map per line (edn_reader.cpp).
std::unique_ptr<OperationReader> make_edn_reader(std::istream& in, const std::string& file);
// Porcupine's Jepsen etcd logs: `INFO  jepsen.util - P<TAB>:type<TAB>:f<TAB>value` lines.
std::unique_ptr<OperationReader> make_porcupine_etcd_reader(std::istream& in,
                                                            const std::string& file);
// Porcupine's kv histories: one EDN map with :key per line.
std::unique_ptr<OperationReader> make_porcupine_kv_reader(std::istream& in,
                                                          const std::string& file);

}  // namespace faultline
