// The JSONL reader and writer.
//
// The reader parses each line with Boost.JSON's SAX parser (basic_parser) straight into an
// Operation: the operation's own object is never built, nested values are built on a
// value_stack. Doing the parsing here, rather than through a DOM, is what lets it refuse
// what a DOM would hide: a key given twice (the DOM keeps the last) and numbers whose text
// a double does not hold exactly (the DOM rounds them).

#include "checker/history/jsonl.h"

#include <boost/json/basic_parser_impl.hpp>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "checker/history/fast_record.h"
#include "checker/history/input_error.h"
#include "checker/history/line_reader.h"
#include "checker/history/number_text.h"
#include "checker/history/operation_json.h"
#include "checker/history/quoted.h"

namespace faultline {
namespace {

using boost::json::error_code;
using boost::json::string_view;

// Keys of one object, to refuse the second of two equal ones.
class KeySet {
 public:
  // False if `key` was already there.
  bool insert(std::string_view key) {
    if (many_.empty()) {
      for (const auto& k : few_) {
        if (k == key) return false;
      }
      if (few_.size() < 16) {
        few_.emplace_back(key);
        return true;
      }
      many_.insert(few_.begin(), few_.end());
    }
    return many_.emplace(key).second;
  }
  void clear() {
    few_.clear();
    many_.clear();
  }

 private:
  std::vector<std::string> few_;
  std::unordered_set<std::string> many_;
};

// The SAX handler: depth 0 is outside the line's object, 1 inside the operation, deeper
// inside one of its field values.
class OperationHandler {
 public:
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  // Starts a line: fields go into `builder`.
  void begin(OperationBuilder& builder) {
    builder_ = &builder;
    depth_ = 0;
    problem_.clear();
    top_keys_.clear();
    nested_ = 0;
    text_.clear();
  }
  // Set when the handler stopped the parse: the problem and whether it lies at the parse
  // position (else at column 1).
  const std::string& problem() const { return problem_; }
  bool problem_at_position() const { return problem_at_position_; }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }

  bool on_object_begin(error_code& ec) {
    if (depth_ == 0) {
      depth_ = 1;
      return true;
    }
    if (depth_ == 1) values_.reset();
    if (nested_ == nested_keys_.size()) nested_keys_.emplace_back();
    nested_keys_[nested_++].clear();
    ++depth_;
    (void)ec;
    return true;
  }
  bool on_object_end(std::size_t n, error_code&) {
    if (depth_ == 1) {
      depth_ = 0;
      return true;
    }
    values_.push_object(n);
    --nested_;
    return end_nested();
  }
  bool on_array_begin(error_code& ec) {
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 1) values_.reset();
    ++depth_;
    return true;
  }
  bool on_array_end(std::size_t n, error_code&) {
    values_.push_array(n);
    return end_nested();
  }

  bool on_key_part(string_view s, std::size_t, error_code&) {
    text_.append(s.data(), s.size());
    if (depth_ > 1) values_.push_chars(s);
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code& ec) {
    text_.append(s.data(), s.size());
    KeySet& keys = depth_ == 1 ? top_keys_ : nested_keys_[nested_ - 1];
    if (!keys.insert(text_)) {
      return stop(ec, "duplicate key \"" + text_.substr(0, 40) +
                          (depth_ == 1 ? "\" in the operation" : "\" in an object"));
    }
    if (depth_ == 1) {
      key_.swap(text_);
    } else {
      values_.push_key(s);
    }
    text_.clear();
    return true;
  }

  bool on_string_part(string_view s, std::size_t, error_code& ec) {
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 1) {
      text_.append(s.data(), s.size());
    } else {
      values_.push_chars(s);
    }
    return true;
  }
  bool on_string(string_view s, std::size_t, error_code& ec) {
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 1) {
      if (text_.empty()) return field(boost::json::value(s));
      text_.append(s.data(), s.size());
      boost::json::value v(text_);
      text_.clear();
      return field(std::move(v));
    }
    values_.push_string(s);
    return true;
  }

  bool on_number_part(string_view s, error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, string_view, error_code& ec) {
    number_.clear();
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 1) return field(boost::json::value(i));
    values_.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, string_view, error_code& ec) {
    number_.clear();
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 1) return field(boost::json::value(u));
    values_.push_uint64(u);
    return true;
  }
  bool on_double(double d, string_view s, error_code& ec) {
    if (depth_ == 0) return not_an_object(ec);
    number_.append(s.data(), s.size());
    if (!decimal_is_exact(number_, d)) {
      return stop(ec,
                  "number " + number_.substr(0, 40) + " " + std::string(inexact_number_advice()));
    }
    number_.clear();
    if (depth_ == 1) return field(boost::json::value(d));
    values_.push_double(d);
    return true;
  }
  bool on_bool(bool b, error_code& ec) {
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 1) return field(boost::json::value(b));
    values_.push_bool(b);
    return true;
  }
  bool on_null(error_code& ec) {
    if (depth_ == 0) return not_an_object(ec);
    if (depth_ == 1) return field(boost::json::value(nullptr));
    values_.push_null();
    return true;
  }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

 private:
  bool end_nested() {
    if (--depth_ == 1) return field(values_.release());
    return true;
  }
  bool field(boost::json::value&& v) {
    builder_->field(key_, std::move(v));  // throws InputError on a bad field
    return true;
  }
  bool stop(error_code& ec, std::string problem) {
    problem_ = std::move(problem);
    problem_at_position_ = true;
    ec = boost::json::error::syntax;
    return false;
  }
  bool not_an_object(error_code& ec) {
    problem_ = "expected a JSON object per line";
    problem_at_position_ = false;
    ec = boost::json::error::syntax;
    return false;
  }

  OperationBuilder* builder_ = nullptr;
  int depth_ = 0;
  std::string key_;     // the operation's field being read
  std::string text_;    // a key or top-level string read in parts
  std::string number_;  // a number read in parts
  KeySet top_keys_;
  std::vector<KeySet> nested_keys_;  // one per open nested object (reused)
  std::size_t nested_ = 0;
  boost::json::value_stack values_;
  std::string problem_;
  bool problem_at_position_ = false;
};

class JsonlReader : public LineOperationReader {
 public:
  JsonlReader(std::istream& in, std::string file)
      : LineOperationReader(in, std::move(file), "jsonl"), parser_(boost::json::parse_options{}) {}

 private:
  bool parse_line(std::string_view text, Operation& out) override {
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.find_first_not_of(" \t") == std::string_view::npos) return false;
    reset(out);
    if (fast_read_enabled()) {
      if (scan_fast_json_operation(text, out)) {
        out.line = operation_line(line_);
        return true;
      }
      reset(out);
    }
    OperationBuilder builder(out, file_, line_);
    parser_.reset();
    parser_.handler().begin(builder);
    error_code ec;
    std::size_t used = parser_.write_some(false, text.data(), text.size(), ec);
    if (!ec && used < text.size()) ec = boost::json::error::extra_data;
    if (ec) {
      const std::string& problem = parser_.handler().problem();
      if (problem.empty())
        throw InputError(file_, line_, used + 1, "invalid JSON: " + ec.message());
      std::size_t column = parser_.handler().problem_at_position() ? key_start(text, used) + 1 : 1;
      throw InputError(file_, line_, column, problem);
    }
    builder.finish();
    return true;
  }

  // Where the token that ends at `end` begins: a key or string's opening quote, or a
  // number's first character, so that an error points at what is wrong.
  static std::size_t key_start(std::string_view text, std::size_t end) {
    end = std::min(end, text.size());
    std::size_t i = end;
    if (i > 0 && text[i - 1] == '"') {
      for (--i; i > 0; --i) {
        if (text[i - 1] != '"') continue;
        std::size_t slashes = 0;
        while (i >= 2 + slashes && text[i - 2 - slashes] == '\\') ++slashes;
        if (slashes % 2 == 0) return i - 1;
      }
      return 0;
    }
    while (i > 0 && std::string_view("0123456789+-.eE").find(text[i - 1]) != std::string_view::npos)
      --i;
    return i;
  }

  boost::json::basic_parser<OperationHandler> parser_;
};

void append_int(std::string& out, std::int64_t n) {
  char text[24];
  auto end = std::to_chars(text, text + sizeof text, n).ptr;
  out.append(text, end);
}

void append_string(std::string& out, std::string_view s) {
  append_quoted(out, s, Notation::kJson);
}

void append_value(std::string& out, const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      out += "null";
      return;
    case boost::json::kind::int64:
      append_int(out, v.get_int64());
      return;
    case boost::json::kind::string:
      append_string(out, v.get_string());
      return;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& x : v.get_array()) {
        if (!first) out += ',';
        first = false;
        append_value(out, x);
      }
      out += ']';
      return;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, x] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        append_string(out, k);
        out += ':';
        append_value(out, x);
      }
      out += '}';
      return;
    }
    default:
      out += boost::json::serialize(v);
      return;  // bool, uint64, double
  }
}

}  // namespace

std::unique_ptr<OperationReader> make_jsonl_reader(std::istream& in, const std::string& file) {
  return std::make_unique<JsonlReader>(in, file);
}

void append_jsonl_line(std::string& out, const Operation& op) {
  if (op.inferred_invoke) return;
  out += "{\"index\":";
  append_int(out, op.index);
  out += ",\"type\":\"";
  out += to_string(op.type);
  out += '"';
  if (op.is_nemesis()) {
    out += ",\"process\":\"nemesis\"";
  } else if (!op.process_assigned) {
    out += ",\"process\":";
    append_int(out, op.process);
  }
  if (!op.f.empty()) {
    out += ",\"f\":";
    append_string(out, op.f);
  }
  if (op.key) {
    out += ",\"key\":";
    append_value(out, *op.key);
  }
  out += ",\"value\":";
  append_value(out, op.value);
  if (op.time != kNoTime) {
    out += ",\"time\":";
    append_int(out, op.time);
  }
  if (op.node) {
    out += ",\"node\":";
    append_string(out, *op.node);
  }
  if (op.error) {
    out += ",\"error\":";
    append_value(out, *op.error);
  }
  for (const auto& [k, v] : op.extra) {
    out += ',';
    append_string(out, k);
    out += ':';
    append_value(out, v);
  }
  out += '}';
}

void JsonlWriter::write(const Operation& op) {
  if (op.inferred_invoke) return;
  line_.clear();
  append_jsonl_line(line_, op);
  line_ += '\n';
  out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
}

void JsonlWriter::flush() {
  out_.flush();
}

void write_jsonl(const History& history, std::ostream& out) {
  JsonlWriter writer(out);
  for (const auto& op : history.ops) writer.write(op);
  writer.flush();
}

History read_jsonl_dropping_torn_line(const std::string& path,
                                      const std::function<void(const std::string&)>& warn) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputMissing(path + ": cannot open history file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!text.empty() && text.back() != '\n') {
    std::size_t start = text.rfind('\n');
    start = start == std::string::npos ? 0 : start + 1;
    boost::json::error_code ec;
    boost::json::value last = boost::json::parse(std::string_view(text).substr(start), ec);
    if (ec || !last.is_object()) {
      std::size_t line = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
      if (warn) {
        warn(path + ":" + std::to_string(line) +
             ": dropped a torn last line (the run was killed while writing it)");
      }
      text.resize(start);
    }
  }
  std::istringstream stream(std::move(text));
  return read_history(stream, path, HistoryFormat::kJsonl);
}

}  // namespace faultline
