#include "checker/set/set_checker.h"

#include <algorithm>
#include <limits>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "checker/history/input_error.h"
#include "checker/history/op_values.h"
#include "checker/history/pairing.h"

namespace faultline {
namespace {

constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();

enum class AddOutcome { kOk, kFail, kUnknown };

struct Element {
  AddOutcome outcome = AddOutcome::kUnknown;
  bool attempted = false;
  std::size_t known = kNever;  // history position of the completion that made it known
};

struct Read {
  std::size_t invoke = 0, completion = 0;  // history positions
  bool final = false;
  std::vector<std::int64_t> elements;
};

boost::json::array capped(const std::vector<std::int64_t>& v, std::size_t cap = 100) {
  boost::json::array out;
  for (std::size_t i = 0; i < v.size() && i < cap; ++i) out.push_back(v[i]);
  return out;
}

}  // namespace

SetCheckResult check_set(const History& history, const SetCheckOptions& options) {
  SetCheckResult result;
  PairedHistory paired = pair_operations(history);
  std::unordered_map<std::int64_t, Element> elements;
  std::vector<Read> reads;

  for (const PairedOp& pair : paired.ops) {
    const Operation& invoke = history.ops[pair.invoke];
    if (invoke.f == "add") {
      Element& e = elements[integer_value(invoke.value, history, invoke, "an add's value")];
      e.attempted = true;
      ++result.attempted;
      switch (pair.outcome) {
        case OpType::kOk:
          e.outcome = AddOutcome::kOk;
          e.known = std::min(e.known, *pair.completion);
          ++result.acknowledged;
          break;
        case OpType::kFail:
          e.outcome = AddOutcome::kFail;
          ++result.failed;
          break;
        default:
          ++result.unknown;
          break;
      }
    } else if (invoke.f == "read" && pair.outcome == OpType::kOk) {
      const Operation& done = history.ops[*pair.completion];
      if (!done.value.is_array()) {
        throw InputError(history.source, done.line, 1, "a read's value must be an array");
      }
      Read r{pair.invoke, *pair.completion, marked_final(invoke), {}};
      for (const auto& v : done.value.get_array()) {
        r.elements.push_back(integer_value(v, history, done, "a read element"));
      }
      reads.push_back(std::move(r));
    }
  }
  std::sort(reads.begin(), reads.end(),
            [](const Read& a, const Read& b) { return a.completion < b.completion; });
  result.reads = reads.size();

  // A read listing an element twice is no state of a set. From here on each read holds
  // each element once (sorted), so a repeat counts once for lost, stale and the rest.
  std::unordered_set<std::int64_t> duplicated;
  for (Read& r : reads) {
    std::sort(r.elements.begin(), r.elements.end());
    bool repeats = false;
    for (std::size_t i = 1; i < r.elements.size(); ++i) {
      if (r.elements[i] != r.elements[i - 1]) continue;
      duplicated.insert(r.elements[i]);
      repeats = true;
    }
    if (!repeats) continue;
    r.elements.erase(std::unique(r.elements.begin(), r.elements.end()), r.elements.end());
    if (result.duplicate_reads++ == 0) result.first_duplicate_read = history.ops[r.invoke].index;
  }
  result.duplicated.assign(duplicated.begin(), duplicated.end());
  std::sort(result.duplicated.begin(), result.duplicated.end());

  // Elements become known no later than the first read that saw them.
  std::unordered_set<std::int64_t> unexpected;
  for (const Read& r : reads) {
    for (std::int64_t x : r.elements) {
      Element& e = elements[x];
      if (!e.attempted || e.outcome == AddOutcome::kFail) unexpected.insert(x);
      e.known = std::min(e.known, r.completion);
    }
  }
  result.unexpected.assign(unexpected.begin(), unexpected.end());
  std::sort(result.unexpected.begin(), result.unexpected.end());

  std::vector<const Read*> finals;
  for (const Read& r : reads) {
    if (r.final) finals.push_back(&r);
  }
  if (finals.empty() && !reads.empty()) finals.push_back(&reads.back());
  result.final_reads = finals.size();
  if (finals.empty()) {
    result.verdict = Verdict::kUnknown;
    result.reason = "no read succeeded, so nothing is known about what the set kept";
    return result;
  }

  // How many final reads hold each element.
  std::unordered_map<std::int64_t, std::size_t> final_count;
  for (const Read* r : finals) {
    for (std::int64_t x : r->elements) ++final_count[x];
  }
  auto in_all_finals = [&](std::int64_t x) {
    auto it = final_count.find(x);
    return it != final_count.end() && it->second == finals.size();
  };
  for (const auto& [x, e] : elements) {
    if (!e.attempted || e.outcome == AddOutcome::kFail) continue;
    if (e.known != kNever && !in_all_finals(x)) result.lost.push_back(x);
    if (e.outcome == AddOutcome::kUnknown && in_all_finals(x)) result.recovered.push_back(x);
  }
  std::sort(result.lost.begin(), result.lost.end());
  std::sort(result.recovered.begin(), result.recovered.end());

  // Stale reads: a read missing elements known before it was invoked. Known elements sorted by
  // when they became known; a read is stale iff it holds fewer of those known before its
  // invocation than there are, so only stale reads pay for finding which ones are missing.
  std::vector<std::pair<std::size_t, std::int64_t>> known;
  for (const auto& [x, e] : elements) {
    if (e.known != kNever && e.attempted && e.outcome != AddOutcome::kFail) {
      known.emplace_back(e.known, x);
    }
  }
  std::sort(known.begin(), known.end());
  std::unordered_set<std::int64_t> stale;
  for (const Read& r : reads) {
    if (r.final) continue;
    auto cut = std::lower_bound(known.begin(), known.end(),
                                std::pair<std::size_t, std::int64_t>{r.invoke, INT64_MIN});
    std::size_t expected = static_cast<std::size_t>(cut - known.begin());
    std::unordered_set<std::int64_t> held;
    std::size_t present = 0;
    for (std::int64_t x : r.elements) {
      auto it = elements.find(x);
      if (held.insert(x).second && it->second.known < r.invoke && it->second.attempted &&
          it->second.outcome != AddOutcome::kFail) {
        ++present;
      }
    }
    if (present >= expected) continue;
    ++result.stale_reads;
    std::size_t missing = expected - present;
    const Operation& op = history.ops[r.invoke];
    for (auto it = cut; it != known.begin() && missing > 0;) {
      --it;
      if (held.count(it->second)) continue;
      --missing;
      if (!in_all_finals(it->second)) continue;  // lost, not merely stale
      stale.insert(it->second);
      if (result.stale_examples.size() < options.max_examples) {
        result.stale_examples.push_back(StaleObservation{
            it->second, op.index, history.ops[it->first].index, op.process, op.node});
      }
    }
  }
  result.stale.assign(stale.begin(), stale.end());
  std::sort(result.stale.begin(), result.stale.end());

  bool anomaly = !result.lost.empty() || !result.unexpected.empty() || !result.duplicated.empty() ||
                 (options.stale_is_anomaly && !result.stale.empty());
  result.verdict = anomaly ? Verdict::kInvalid : Verdict::kValid;
  return result;
}

boost::json::object SetCheckResult::to_json() const {
  boost::json::object out;
  out["schema"] = "faultline.results/1";
  out["checker"] = "set";
  out["verdict"] = to_string(verdict);
  if (!reason.empty()) out["reason"] = reason;
  out["attempted"] = attempted;
  out["acknowledged"] = acknowledged;
  out["failed"] = failed;
  out["unknown"] = unknown;
  out["reads"] = reads;
  out["final_reads"] = final_reads;
  auto kind = [](const std::vector<std::int64_t>& v) {
    return boost::json::object{{"count", v.size()}, {"elements", capped(v)}};
  };
  out["lost"] = kind(lost);
  out["unexpected"] = kind(unexpected);
  out["stale"] = kind(stale);
  out["stale"].as_object()["reads"] = stale_reads;
  out["recovered"] = kind(recovered);
  out["duplicated"] = kind(duplicated);
  out["duplicated"].as_object()["reads"] = duplicate_reads;
  if (first_duplicate_read)
    out["duplicated"].as_object()["first_read_index"] = *first_duplicate_read;
  boost::json::array examples;
  for (const auto& s : stale_examples) {
    boost::json::object e{{"element", s.element},
                          {"read_index", s.read_index},
                          {"known_index", s.known_index},
                          {"process", s.process}};
    if (s.node) e["node"] = *s.node;
    examples.push_back(std::move(e));
  }
  out["stale"].as_object()["examples"] = std::move(examples);
  return out;
}

std::string SetCheckResult::summary() const {
  std::ostringstream out;
  out << "set: " << to_string(verdict) << " — " << attempted << " adds (" << acknowledged << " ok, "
      << failed << " failed, " << unknown << " unknown), " << reads << " reads (" << final_reads
      << " final)\n";
  if (!reason.empty()) out << "  " << reason << '\n';
  out << "  lost " << lost.size() << ", unexpected " << unexpected.size() << ", stale "
      << stale.size() << " (in " << stale_reads << " reads), recovered " << recovered.size()
      << ", duplicated " << duplicated.size() << '\n';
  if (!duplicated.empty()) {
    out << "  duplicated: the read at index " << *first_duplicate_read << " lists "
        << duplicated.front() << " more than once; a set holds each element once ("
        << duplicate_reads << " such reads)\n";
  }
  for (const auto& s : stale_examples) {
    out << "  stale: read at index " << s.read_index << " (process " << s.process;
    if (s.node) out << " on " << *s.node;
    out << ") lacks element " << s.element << ", known since index " << s.known_index << '\n';
  }
  if (!lost.empty()) out << "  lost e.g. " << lost.front() << '\n';
  if (!unexpected.empty()) out << "  unexpected e.g. " << unexpected.front() << '\n';
  return out.str();
}

}  // namespace faultline
