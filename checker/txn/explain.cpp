#include "checker/txn/explain.h"

#include <algorithm>

namespace faultline::txn {
namespace {

std::string step_type_words(std::uint8_t type) {
  switch (type) {
    case kWW:
      return "write-write";
    case kWR:
      return "write-read";
    case kRW:
      return "read-write (anti-dependency)";
    case kProcess:
      return "process order";
    case kRealtime:
      return "real-time order";
  }
  return "?";
}

std::string class_words(const Cycle& c) {
  std::string words;
  switch (c.cls) {
    case CycleClass::kG0:
      words = "only write-write edges (G0, dirty write)";
      break;
    case CycleClass::kG1c:
      words = "write-write and write-read edges (G1c, circular information flow)";
      break;
    case CycleClass::kGSingle:
      words = "exactly one anti-dependency (G-single, read skew)";
      break;
    case CycleClass::kGNonadjacent:
      words = "anti-dependencies, none adjacent (G-nonadjacent)";
      break;
    case CycleClass::kG2Item:
      words = "adjacent anti-dependencies (G2-item, write skew)";
      break;
  }
  if (c.variant == Variant::kProcess) words += ", closed by process order";
  if (c.variant == Variant::kRealtime) words += ", closed by real-time order";
  return words;
}

}  // namespace

std::string Explainer::name(std::uint32_t txn) const {
  std::string s = "T";
  s += std::to_string(h_.txns[txn].index);
  return s;
}

boost::json::object Explainer::txn_json(std::uint32_t txn) const {
  const Txn& t = h_.txns[txn];
  boost::json::object o;
  o["txn"] = name(txn);
  o["index"] = t.index;
  if (t.completion_index >= 0) o["completion_index"] = t.completion_index;
  o["process"] = t.process;
  o["outcome"] = std::string(to_string(t.outcome));
  if (t.line) o["line"] = t.line;
  return o;
}

std::string Explainer::list_text(const Mop& read) const {
  if (h_.workload == ObjectKind::kRwRegister) return val(read.value);
  std::string s = "[";
  for (std::uint32_t i = 0; i < read.list_size; ++i) {
    if (i) s += ' ';
    s += val(h_.list(read)[i]);
  }
  return s + "]";
}

long Explainer::position(std::uint32_t key, Value v) const {
  if (key >= deps_.version_order.size() || deps_.version_order[key] == kNone) return -1;
  const Mop& order = h_.mops[deps_.version_order[key]];
  const Value* first = h_.list(order);
  const Value* found = std::find(first, first + order.list_size, v);
  return found == first + order.list_size ? -1 : found - first;
}

std::string Explainer::why_wr(std::uint32_t a, std::uint32_t b) const {
  const Txn& ta = h_.txns[a];
  const Txn& tb = h_.txns[b];
  for (const Mop* r = h_.begin(tb); r != h_.end(tb); ++r) {
    if (r->kind != MopKind::kRead || !r->read_known) continue;
    Value last = r->value;
    if (h_.workload == ObjectKind::kListAppend) {
      const long ext = static_cast<long>(r->list_size) - r->own_before;
      if (ext <= 0) continue;
      last = h_.list(*r)[ext - 1];
    }
    for (const Mop* w = h_.begin(ta); w != h_.end(ta); ++w) {
      if (w->kind == MopKind::kRead || w->key != r->key || w->value != last) continue;
      if (h_.workload == ObjectKind::kListAppend) {
        return name(b) + " read " + key(r->key) + " as " + list_text(*r) + ", which ends with " +
               name(a) + "'s append of " + val(last);
      }
      return name(b) + " read " + name(a) + "'s write of " + val(last) + " to " + key(r->key);
    }
  }
  return name(b) + " read a write of " + name(a);
}

std::string Explainer::why_ww(std::uint32_t a, std::uint32_t b) const {
  const Txn& ta = h_.txns[a];
  const Txn& tb = h_.txns[b];
  for (const Mop* wb = h_.begin(tb); wb != h_.end(tb); ++wb) {
    if (wb->kind == MopKind::kRead) continue;
    for (const Mop* wa = h_.begin(ta); wa != h_.end(ta); ++wa) {
      if (wa->kind == MopKind::kRead || wa->key != wb->key || !wa->final_write) continue;
      if (h_.workload == ObjectKind::kListAppend) {
        const long pa = position(wa->key, wa->value), pb = position(wb->key, wb->value);
        if (pa < 0 || (pb >= 0 && pb < pa)) continue;
        const Mop& order = h_.mops[deps_.version_order[wa->key]];
        if (pb < 0) {
          return name(b) + "'s append of " + val(wb->value) + " to " + key(wa->key) +
                 " was never read, so it came after " + name(a) + "'s append of " + val(wa->value) +
                 ", which " + name(order.txn) + " read in " + list_text(order);
        }
        return name(b) + " appended " + val(wb->value) + " to " + key(wa->key) + " after " +
               name(a) + "'s append of " + val(wa->value) + " (" + name(order.txn) + " read " +
               list_text(order) + ")";
      }
      // rw-register: b read a's version and then overwrote it.
      for (const Mop* r = h_.begin(tb); r != wb; ++r) {
        if (r->kind == MopKind::kRead && r->key == wa->key && r->value == wa->value) {
          return name(b) + " read " + name(a) + "'s write of " + val(wa->value) + " to " +
                 key(wa->key) + " and overwrote it with " + val(wb->value);
        }
      }
    }
  }
  return name(b) + " overwrote a write of " + name(a);
}

std::string Explainer::why_rw(std::uint32_t a, std::uint32_t b) const {
  const Txn& ta = h_.txns[a];
  const Txn& tb = h_.txns[b];
  for (const Mop* r = h_.begin(ta); r != h_.end(ta); ++r) {
    if (r->kind != MopKind::kRead || !r->read_known) continue;
    for (const Mop* w = h_.begin(tb); w != h_.end(tb); ++w) {
      if (w->kind == MopKind::kRead || w->key != r->key) continue;
      if (h_.workload == ObjectKind::kListAppend) {
        const long ext = static_cast<long>(r->list_size) - r->own_before;
        if (ext < 0 || std::find(h_.list(*r), h_.list(*r) + ext, w->value) != h_.list(*r) + ext) {
          continue;
        }
        return name(a) + " read " + key(r->key) + " as " + list_text(*r) + " and did not see " +
               name(b) + "'s append of " + val(w->value);
      }
      if (r->value == kNil) {
        return name(a) + " read " + key(r->key) + " as nil, before " + name(b) + "'s write of " +
               val(w->value);
      }
      return name(a) + " read " + val(r->value) + " from " + key(r->key) + ", a version that " +
             name(b) + " read and overwrote with " + val(w->value);
    }
  }
  return name(a) + " did not see a write of " + name(b);
}

std::string Explainer::why(const CycleStep& s) const {
  std::string head = name(s.from) + " < " + name(s.to) + " because ";
  switch (s.type) {
    case kWW:
      return head + why_ww(s.from, s.to);
    case kWR:
      return head + why_wr(s.from, s.to);
    case kRW:
      return head + why_rw(s.from, s.to);
    case kProcess:
      return head + "process " + std::to_string(h_.txns[s.from].process) + " ran " + name(s.from) +
             " before " + name(s.to);
    case kRealtime:
      return head + name(s.from) + " completed (op " +
             std::to_string(h_.txns[s.from].completion_index) + ") before " + name(s.to) +
             " was invoked (op " + std::to_string(h_.txns[s.to].index) + ")";
  }
  return head + "?";
}

AnomalyExample Explainer::explain(const Cycle& c) const {
  AnomalyExample ex;
  ex.type = cycle_name(c.cls, c.variant);
  boost::json::array steps;
  for (const CycleStep& s : c.steps) {
    std::string w = why(s);
    ex.text += w + ";\n";
    boost::json::object step;
    step["from"] = txn_json(s.from);
    step["to"] = txn_json(s.to);
    step["edge"] = std::string(edge_name(s.type));
    step["edge_words"] = step_type_words(s.type);
    step["why"] = w;
    steps.push_back(std::move(step));
  }
  ex.text += "a cycle of " + std::to_string(c.steps.size()) + " transactions with " +
             class_words(c) + ": " + ex.type;
  ex.detail["cycle"] = std::move(steps);
  return ex;
}

AnomalyExample Explainer::explain(const Case& c) const {
  AnomalyExample ex;
  ex.type = std::string(case_name(c.type));
  const std::string k = key(c.key);
  const Mop* read = c.mop == kNone ? nullptr : &h_.mops[c.mop];
  const std::string seen = read ? list_text(*read) : "";
  boost::json::array txns;
  if (c.txn != kNone) txns.push_back(txn_json(c.txn));
  if (c.other != kNone) txns.push_back(txn_json(c.other));
  switch (c.type) {
    case CaseType::kG1a:
      ex.text = name(c.txn) + " read " + k + " as " + seen + ", holding " + val(c.value) +
                ", which " + name(c.other) + " wrote and which failed (aborted read)";
      break;
    case CaseType::kG1b:
      ex.text = name(c.txn) + " read " + k + " as " + seen + ": " + val(c.value) + " is an " +
                "intermediate write of " + name(c.other) + ", which wrote " + k +
                " again later in the same transaction";
      break;
    case CaseType::kInternal:
      ex.text = name(c.txn) + " read " + k + " as " + seen + ", but given its own earlier " +
                "micro-ops it should have read " + expected_internal_read(h_, c.txn, c.mop);
      break;
    case CaseType::kFutureRead:
      ex.text =
          name(c.txn) + " read " + k + " as " + seen + ", which already holds " + val(c.value) +
          ", yet " + name(c.txn) + " itself " +
          (h_.workload == ObjectKind::kListAppend ? "appends " : "writes ") + val(c.value) +
          " to " + k + " only later, in micro-op " +
          std::to_string(c.other_mop - h_.txns[c.txn].mop_begin + 1) +
          ": it observed its own future (future read: information flowing from T to itself, a " +
          "one-transaction G1c)";
      break;
    case CaseType::kLostUpdate:
      ex.text = name(c.txn) + " and " + name(c.other) + " both read " + k +
                " at the same version (" +
                (c.value == kNil ? std::string("empty") : "ending in " + val(c.value)) +
                ") and both wrote it: one of the two updates is lost";
      break;
    case CaseType::kDirtyUpdate:
      ex.text = name(c.txn) + " wrote " + val(c.value) + " to " + k + " and failed, yet " +
                name(c.other) + "'s committed write to " + k + " was ordered after it";
      break;
    case CaseType::kDuplicateElements:
      ex.text = name(c.txn) + " read " + k + " as " + seen + ", which holds " + val(c.value) +
                " more than once (every value was appended once)";
      break;
    case CaseType::kIncompatibleOrder:
      ex.text = name(c.txn) + " read " + k + " as " + seen + " and " + name(c.other) +
                " read it as " + list_text(h_.mops[c.other_mop]) +
                ": neither is a prefix of the other, so no single order of appends explains both";
      break;
    case CaseType::kGarbageRead:
      ex.text = name(c.txn) + " read " + k + " as " + seen + ", but no transaction ever wrote " +
                val(c.value) + " to " + k;
      break;
  }
  ex.detail["txns"] = std::move(txns);
  boost::json::error_code ec;
  boost::json::value key_value = boost::json::parse(h_.key_names[c.key], ec);
  ex.detail["key"] = ec ? boost::json::value(h_.key_names[c.key]) : key_value;
  if (c.value != kNil) {
    boost::json::value v = boost::json::parse(val(c.value), ec);
    ex.detail["value"] = ec ? boost::json::value(val(c.value)) : v;
  }
  return ex;
}

}  // namespace faultline::txn
