// make_edn_reader: Jepsen's history.edn, streamed one operation at a time.
//
// Accepted shapes: one top-level vector or list of operation maps (read element by
// element, never materialised), or a sequence of top-level operation maps (Jepsen
// writes one per line). Independent tuples: see edn_operation.h and
// docs/history-format.md.

#include "checker/history/edn_operation.h"
#include "checker/history/formats.h"

namespace faultline {
namespace {

class EdnHistoryReader : public OperationReader {
 public:
  EdnHistoryReader(std::istream& in, const std::string& file) : edn_(in, file) {}

  bool next(Operation& out) override {
    if (state_ == State::kStart) {
      int c = edn_.peek();
      open_ = edn_.position();
      if (c == '[' || c == '(') {
        edn_.consume();
        close_ = c == '[' ? ']' : ')';
        state_ = State::kInCollection;
      } else {
        state_ = State::kTopLevelMaps;
      }
    }
    if (state_ == State::kDone) return false;
    int c = edn_.peek();
    if (state_ == State::kInCollection) {
      if (c == EdnReader::kEnd) {
        edn_.fail_at_end(std::string("unexpected end of input: the history ") +
                         (close_ == ']' ? "vector" : "list") + " opened at line " +
                         std::to_string(open_.line) + " is not closed");
      }
      if (c == close_) {
        edn_.consume();
        state_ = State::kDone;
        if (edn_.peek() != EdnReader::kEnd) {
          edn_.fail("unexpected form after the end of the history");
        }
        return false;
      }
    } else if (c == EdnReader::kEnd) {
      state_ = State::kDone;
      return false;
    }
    read_edn_operation(edn_, out);
    return true;
  }

 private:
  enum class State { kStart, kInCollection, kTopLevelMaps, kDone };
  EdnReader edn_;
  State state_ = State::kStart;
  char close_ = ']';
  EdnPosition open_;
};

}  // namespace

std::unique_ptr<OperationReader> make_edn_reader(std::istream& in, const std::string& file) {
  return std::make_unique<EdnHistoryReader>(in, file);
}

}  // namespace faultline
