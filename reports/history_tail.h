#pragma once
// HistoryTail: a run's history.jsonl while `faultline test` appends to it, read a little at a
// time. Each refresh() parses only the whole lines appended since the previous one, so a live
// view polled every 2 s costs what the run wrote meanwhile, not its whole history again. A last
// line without its newline is being written: it is left for a later refresh (torn_last_line()).
// A file that got shorter (rewritten) is read again from its start.
//
// Records are taken as the JSONL reader gives them (an operation without an index gets its
// position), without read_history's inference of missing processes and invocations, which a
// run's own history never needs. Not thread-safe: one user at a time.

#include <cstdint>
#include <filesystem>

#include "checker/history/history.h"

namespace faultline {

class HistoryTail {
 public:
  explicit HistoryTail(std::filesystem::path file);

  // Reads what was appended. Throws InputMissing when the file cannot be opened, InputError
  // (with the file's own line numbers) for a malformed line; the history is then as before.
  void refresh();

  const History& history() const { return history_; }
  bool torn_last_line() const { return torn_; }

 private:
  std::filesystem::path file_;
  History history_;
  std::uintmax_t offset_ = 0;  // bytes of whole lines read
  std::size_t lines_ = 0;      // lines read
  bool torn_ = false;
};

}  // namespace faultline
