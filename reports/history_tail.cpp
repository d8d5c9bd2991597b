#include "reports/history_tail.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "checker/history/input_error.h"
#include "checker/history/jsonl.h"

namespace faultline {

HistoryTail::HistoryTail(std::filesystem::path file) : file_(std::move(file)) {
  history_.source = file_.string();
}

void HistoryTail::refresh() {
  std::ifstream in(file_, std::ios::binary);
  if (!in) throw InputMissing(file_.string() + ": cannot open history file");
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::uintmax_t>(std::max<std::streamoff>(0, in.tellg()));
  if (size < offset_) {  // rewritten: start again
    history_.ops.clear();
    offset_ = 0;
    lines_ = 0;
  }
  std::string text(size - offset_, '\0');
  in.seekg(static_cast<std::streamoff>(offset_));
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
  const std::size_t end = text.rfind('\n');
  const std::size_t whole = end == std::string::npos ? 0 : end + 1;
  torn_ = whole < text.size();
  text.resize(whole);
  if (text.empty()) return;

  const auto lines_here = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  std::istringstream stream(std::move(text));
  auto reader = make_jsonl_reader(stream, file_.string());
  const std::size_t before = history_.ops.size();
  try {
    for (;;) {
      Operation& op = history_.ops.emplace_back();
      if (!reader->next(op)) {
        history_.ops.pop_back();
        break;
      }
      if (op.index < 0) op.index = static_cast<std::int64_t>(history_.ops.size() - 1);
      op.line = operation_line(lines_ + op.line);
    }
  } catch (const InputError& e) {
    history_.ops.resize(before);  // as it was: the next refresh reads these lines again
    throw InputError(e.file(), lines_ + e.line(), e.column(), e.problem());
  }
  lines_ += lines_here;
  offset_ += whole;
}

}  // namespace faultline
