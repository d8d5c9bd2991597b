#include "checker/history/edn_operation.h"

#include "checker/history/fast_record.h"
#include "checker/history/operation_json.h"

namespace faultline {
namespace {

// The [key value] of an independent tuple, as the tag's form `{:key k :value v}` (a
// record) or `[k v]`.
bool split_tuple(boost::json::value& form, boost::json::value& key, boost::json::value& value) {
  if (auto* obj = form.if_object();
      obj != nullptr && obj->size() == 2 && obj->contains("key") && obj->contains("value")) {
    key = std::move((*obj)["key"]);
    value = std::move((*obj)["value"]);
    return true;
  }
  if (auto* arr = form.if_array(); arr != nullptr && arr->size() == 2) {
    key = std::move((*arr)[0]);
    value = std::move((*arr)[1]);
    return true;
  }
  return false;
}

}  // namespace

void read_edn_operation(EdnReader& edn, Operation& out) {
  int c = edn.peek();
  EdnPosition start = edn.position();
  if (c == '#') {
    edn.read_tag();  // a record such as #jepsen.history.Op{...}: its fields are what count
    c = edn.peek();
  }
  if (c != '{') edn.fail("expected an operation map ({:type ... :f ...})");
  if (fast_read_enabled()) {
    reset(out);
    if (std::size_t n = scan_fast_edn_operation(edn.rest_of_line(), out)) {
      out.line = operation_line(start.line);
      edn.skip_on_line(n);
      return;
    }
  }
  edn.consume();

  boost::json::object obj;
  std::optional<boost::json::value> tuple_key;
  for (;;) {
    c = edn.peek();
    if (c == EdnReader::kEnd) {
      edn.fail_at_end("unexpected end of input in the operation map opened at line " +
                      std::to_string(start.line));
    }
    if (c == '}') {
      edn.consume();
      break;
    }
    EdnPosition key_at = edn.position();
    std::string name = edn_map_key(edn.read_form());
    c = edn.peek();
    if (c == EdnReader::kEnd) edn.fail_at_end("map key :" + name + " has no value");
    if (c == '}') edn.fail("map key :" + name + " has no value");
    EdnPosition value_at = edn.position();
    std::string tag;
    boost::json::value value = edn.read_form(&tag);
    if (obj.contains(name)) edn.fail_at(key_at, "duplicate map key :" + name);
    if (name == "value" && tag == kIndependentTupleTag) {
      boost::json::value key, inner;
      if (!split_tuple(value, key, inner)) {
        edn.fail_at(value_at, "#jepsen.independent.Tuple needs {:key k :value v} or [k v]");
      }
      tuple_key = std::move(key);
      value = std::move(inner);
    }
    obj.emplace(name, std::move(value));
  }
  if (tuple_key) {
    if (obj.contains("key")) {
      edn.fail_at(start, "operation has both :key and an independent tuple :value");
    }
    obj.emplace("key", std::move(*tuple_key));
  }
  out = operation_from_json(std::move(obj), edn.file(), start.line);
}

}  // namespace faultline
