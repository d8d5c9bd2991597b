#include "checker/history/jsonl.h"

#include <string>

#include "checker/history/input_error.h"
#include "checker/history/line_reader.h"
#include "checker/history/operation_json.h"

namespace faultline {
namespace {

class JsonlReader : public LineOperationReader {
 public:
  JsonlReader(std::istream& in, std::string file) : LineOperationReader(in, std::move(file)) {}

 private:
  bool parse_line(std::string& text, Operation& out) override {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) return false;
    parser_.reset();
    boost::system::error_code ec;
    std::size_t used = parser_.write(text.data(), text.size(), ec);
    if (!ec) parser_.finish(ec);
    if (ec) {
      throw InputError(file_, line_, used + 1, "invalid JSON: " + ec.message());
    }
    boost::json::value value = parser_.release();
    if (!value.is_object()) {
      throw InputError(file_, line_, 1, "expected a JSON object per line");
    }
    out = operation_from_json(std::move(value.get_object()), file_, line_);
    return true;
  }

  boost::json::stream_parser parser_;
};

}  // namespace

std::unique_ptr<OperationReader> make_jsonl_reader(std::istream& in, const std::string& file) {
  return std::make_unique<JsonlReader>(in, file);
}

void JsonlWriter::write(const Operation& op) {
  out_ << boost::json::serialize(to_json(op)) << '\n';
}

void write_jsonl(const History& history, std::ostream& out) {
  JsonlWriter writer(out);
  for (const auto& op : history.ops) writer.write(op);
  writer.flush();
}

}  // namespace faultline
