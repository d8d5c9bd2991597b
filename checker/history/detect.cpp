// detect_format: guesses a history's format from its first meaningful line.
//
// - a line containing `jepsen.util - PROCESS :type` anywhere in the first lines
//   -> porcupine-etcd (those logs may open with noise);
// - first non-blank line `{"…` -> jsonl;
// - first non-blank, non-comment line a one-line map `{:… :key …}` -> porcupine-kv (the
//   EDN reader reads such files to the same operations; kv also enforces :key);
// - first non-blank line starting with `[`, `(`, `{`, `#` or `;` -> edn.

#include <string_view>

#include "checker/history/history.h"

namespace faultline {
namespace {

constexpr std::size_t kMaxLines = 10000;
constexpr std::size_t kMaxBytes = 4 << 20;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == ',')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool is_etcd_record(std::string_view line) {
  constexpr std::string_view kMarker = "jepsen.util - ";
  std::size_t at = line.find(kMarker);
  if (at == std::string_view::npos) return false;
  std::string_view rest = line.substr(at + kMarker.size());
  std::size_t n = 0;
  if (rest.substr(0, 8) == ":nemesis") {
    n = 8;
  } else {
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    if (n == 0) return false;
  }
  std::size_t blanks = n;
  while (blanks < rest.size() && (rest[blanks] == ' ' || rest[blanks] == '\t')) ++blanks;
  return blanks > n && blanks < rest.size() && rest[blanks] == ':';
}

bool is_kv_line(std::string_view line) {
  if (line.size() < 4 || line.substr(0, 2) != "{:" || line.back() != '}') return false;
  for (std::size_t at = line.find(":key"); at != std::string_view::npos;
       at = line.find(":key", at + 1)) {
    if (at + 4 < line.size() && (line[at + 4] == ' ' || line[at + 4] == '\t' ||
                                 line[at + 4] == '"' || line[at + 4] == ',')) {
      return true;
    }
  }
  return false;
}

}  // namespace

HistoryFormat detect_format(std::istream& in, const std::string& file) {
  const std::istream::pos_type start = in.tellg();
  if (start == std::istream::pos_type(-1)) {
    throw InputError(file, 1, 1,
                     "cannot detect the format of a stream that cannot be rewound; pass --format");
  }
  std::optional<HistoryFormat> found;
  bool saw_text = false;  // a non-blank, non-comment line was seen
  bool saw_comment = false;
  std::string line;
  std::size_t bytes = 0;
  for (std::size_t n = 0; !found && n < kMaxLines && bytes < kMaxBytes && std::getline(in, line);
       ++n) {
    bytes += line.size() + 1;
    if (is_etcd_record(line)) {
      found = HistoryFormat::kPorcupineEtcd;
      break;
    }
    std::string_view text = trim(line);
    if (text.empty() || saw_text) continue;
    if (text[0] == ';') {
      // A comment: only EDN has them, but a kv file may carry one too; look further.
      saw_comment = true;
      continue;
    }
    saw_text = true;
    if (text[0] == '{') {
      std::string_view inner = trim(text.substr(1));
      if (!inner.empty() && inner[0] == '"') {
        found = HistoryFormat::kJsonl;
      } else if (is_kv_line(text)) {
        found = HistoryFormat::kPorcupineKv;
      } else {
        found = HistoryFormat::kEdn;
      }
    } else if (text[0] == '[' || text[0] == '(' || text[0] == '#') {
      found = HistoryFormat::kEdn;
    }
    // Anything else may be the noise before a Porcupine etcd log's records: keep looking.
  }
  in.clear();
  in.seekg(start);
  if (!found) {
    if (!saw_text) {
      if (saw_comment) return HistoryFormat::kEdn;  // only comments: an empty EDN history
      throw InputError(file, 1, 1, "empty history file: nothing to read");
    }
    throw InputError(file, 1, 1,
                     "unrecognised history format (expected jsonl, edn, porcupine-etcd or "
                     "porcupine-kv); pass --format to choose one");
  }
  return *found;
}

}  // namespace faultline
