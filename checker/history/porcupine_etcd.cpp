// make_porcupine_etcd_reader: the Jepsen etcd logs of Porcupine's test suite.
//
// A record is a line containing `jepsen.util - ` followed by a process (an integer or
// :nemesis) and a :type, separated by tabs or spaces (both occur):
//   INFO  jepsen.util - 3	:invoke	:cas	[3 1]
// then the :f keyword and the value as EDN. Every other line is noise and skipped; a
// line that starts like a record but is not one is an error. The logs carry no times.
//
// A failed or unknown completion whose value is a keyword (`:info :cas :timed-out`,
// `:fail :read :timed-out`) logs the reason instead of the value: it becomes `error`
// ("timed-out"), and `value` becomes the value of the process's pending invocation.

#include <sstream>
#include <unordered_map>

#include "checker/history/edn.h"
#include "checker/history/formats.h"
#include "checker/history/line_reader.h"

namespace faultline {
namespace {

constexpr std::string_view kMarker = "jepsen.util - ";

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

class PorcupineEtcdReader : public LineOperationReader {
 public:
  PorcupineEtcdReader(std::istream& in, std::string file)
      : LineOperationReader(in, std::move(file), "porcupine-etcd") {}

 private:
  bool parse_line(std::string_view text, Operation& out) override {
    if (parse_record(text, out)) return true;
    if (text.find_first_not_of(" \t\r") != std::string_view::npos) note_noise();
    return false;
  }

  // The next blank-separated token of `text` from `pos` (which it advances).
  static std::string_view token(std::string_view text, std::size_t& pos) {
    while (pos < text.size() && is_blank(text[pos])) ++pos;
    std::size_t start = pos;
    while (pos < text.size() && !is_blank(text[pos])) ++pos;
    return text.substr(start, pos - start);
  }

  bool parse_record(std::string_view text, Operation& out) {
    std::size_t marker = text.find(kMarker);
    if (marker == std::string_view::npos) return false;
    std::size_t pos = marker + kMarker.size();
    std::string_view process = token(text, pos);
    std::size_t type_col = pos;
    while (type_col < text.size() && is_blank(text[type_col])) ++type_col;
    std::string_view type = token(text, pos);
    std::int64_t process_id = 0;
    if (process == ":nemesis") {
      process_id = kNemesisProcess;
    } else {
      if (process.empty() || process.size() > 18) return false;
      for (char c : process) {
        if (c < '0' || c > '9') return false;
      }
      process_id = std::stoll(std::string(process));
    }
    if (type.empty() || type[0] != ':') return false;  // a log message, not a record

    auto fail = [&](std::size_t col, const std::string& problem) {
      return InputError(file_, line_, col + 1, problem);
    };
    auto parsed_type = parse_op_type(type.substr(1));
    if (!parsed_type) throw fail(type_col, "unknown operation type " + std::string(type));
    std::size_t f_col = pos;
    while (f_col < text.size() && is_blank(text[f_col])) ++f_col;
    std::string_view f = token(text, pos);
    if (f.size() < 2 || f[0] != ':') throw fail(f_col, "expected the operation's :f keyword");
    while (pos < text.size() && is_blank(text[pos])) ++pos;
    std::size_t value_end = text.size();
    while (value_end > pos && is_blank(text[value_end - 1])) --value_end;
    if (pos == value_end) throw fail(pos, "missing value after " + std::string(f));

    std::string value_text(text.substr(pos, value_end - pos));
    std::istringstream value_in(value_text);
    EdnReader edn(value_in, file_, EdnPosition{line_, pos + 1});
    boost::json::value value = edn.read_form();
    if (edn.peek() != EdnReader::kEnd) edn.fail("unexpected text after the value");

    Operation op;
    op.line = operation_line(line_);
    op.type = *parsed_type;
    op.process = process_id;
    op.f = Name(f.substr(1));
    if (op.type == OpType::kInvoke) {
      pending_[process_id] = value;
      op.value = std::move(value);
    } else {
      auto open = pending_.find(process_id);
      bool reason = value_text[0] == ':' && (op.type == OpType::kFail || op.type == OpType::kInfo);
      if (reason) {
        op.error = std::move(value);
        if (open != pending_.end()) op.value = open->second;
      } else {
        op.value = std::move(value);
      }
      if (open != pending_.end()) pending_.erase(open);
    }
    out = std::move(op);
    return true;
  }

  std::unordered_map<std::int64_t, boost::json::value> pending_;  // invoked values
};

}  // namespace

std::unique_ptr<OperationReader> make_porcupine_etcd_reader(std::istream& in,
                                                            const std::string& file) {
  return std::make_unique<PorcupineEtcdReader>(in, file);
}

}  // namespace faultline
