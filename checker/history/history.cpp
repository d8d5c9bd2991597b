#include "checker/history/history.h"

#include <fstream>
#include <iostream>

namespace faultline {

std::string_view to_string(HistoryFormat format) {
  switch (format) {
    case HistoryFormat::kJsonl: return "jsonl";
    case HistoryFormat::kEdn: return "edn";
    case HistoryFormat::kPorcupineEtcd: return "porcupine-etcd";
    case HistoryFormat::kPorcupineKv: return "porcupine-kv";
  }
  return "?";
}

std::optional<HistoryFormat> parse_history_format(std::string_view name) {
  if (name == "jsonl") return HistoryFormat::kJsonl;
  if (name == "edn") return HistoryFormat::kEdn;
  if (name == "porcupine-etcd") return HistoryFormat::kPorcupineEtcd;
  if (name == "porcupine-kv") return HistoryFormat::kPorcupineKv;
  return std::nullopt;
}

History read_history(std::istream& in, const std::string& name,
                     std::optional<HistoryFormat> format) {
  History history;
  history.source = name;
  history.format = format ? *format : detect_format(in, name);
  auto reader = make_reader(history.format, in, name);
  Operation op;
  while (reader->next(op)) {
    if (op.index < 0) op.index = static_cast<std::int64_t>(history.ops.size());
    history.ops.push_back(std::move(op));
    op = Operation{};
  }
  return history;
}

History read_history(const std::string& path, std::optional<HistoryFormat> format) {
  if (path == "-") return read_history(std::cin, "-", format);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputMissing(path + ": cannot open history file");
  return read_history(in, path, format);
}

}  // namespace faultline
