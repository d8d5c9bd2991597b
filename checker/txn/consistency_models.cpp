#include "checker/txn/consistency_models.h"

#include <algorithm>

namespace faultline::txn {
namespace {

using Names = std::vector<std::string>;

Names plus(Names base, const Names& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

Names variants(const Names& cycles, const char* suffix) {
  Names out;
  for (const auto& c : cycles) out.push_back(c + suffix);
  return out;
}

std::vector<ConsistencyModel> make_models() {
  const Names structural = {"internal", "duplicate-elements", "incompatible-order", "garbage-read"};
  const Names ru = plus(structural, {"G0"});
  // future-read is a one-transaction G1c (T -wr-> T). Elle proscribes it from read-atomic
  // up, which excludes its read-committed and repeatable-read; faultline from G1c's level.
  const Names rc = plus(ru, {"G1a", "G1b", "G1c", "future-read", "dirty-update"});
  const Names si = plus(rc, {"G-single", "G-nonadjacent", "lost-update"});
  const Names rr = plus(si, {"G2-item"});
  const Names si_cycles = {"G0", "G1c", "G-single", "G-nonadjacent"};
  const Names all_cycles = {"G0", "G1c", "G-single", "G-nonadjacent", "G2-item"};
  const Names ss_si = plus(si, variants(si_cycles, "-process"));
  const Names strong_si = plus(ss_si, variants(si_cycles, "-realtime"));
  const Names ss_ser = plus(rr, variants(all_cycles, "-process"));
  const Names strict = plus(ss_ser, variants(all_cycles, "-realtime"));
  return {
      {"read-uncommitted", {}, ru},
      {"read-committed", {"read-uncommitted"}, rc},
      {"snapshot-isolation", {"read-committed"}, si},
      {"repeatable-read", {"read-committed"}, rr},
      {"serializable", {"repeatable-read", "snapshot-isolation"}, rr},
      {"strong-session-snapshot-isolation", {"snapshot-isolation"}, ss_si},
      {"strong-snapshot-isolation", {"strong-session-snapshot-isolation"}, strong_si},
      {"strong-session-serializable",
       {"serializable", "strong-session-snapshot-isolation"},
       ss_ser},
      {"strict-serializable", {"strong-session-serializable", "strong-snapshot-isolation"}, strict},
  };
}

}  // namespace

const std::vector<ConsistencyModel>& consistency_models() {
  static const std::vector<ConsistencyModel> models = make_models();
  return models;
}

const ConsistencyModel* find_consistency_model(std::string_view name) {
  for (const auto& m : consistency_models()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::vector<std::string> consistency_model_names() {
  std::vector<std::string> names;
  for (const auto& m : consistency_models()) names.push_back(m.name);
  return names;
}

bool implies(const std::string& strong, const std::string& weak) {
  if (strong == weak) return true;
  const ConsistencyModel* m = find_consistency_model(strong);
  if (!m) return false;
  return std::any_of(m->implies.begin(), m->implies.end(),
                     [&](const std::string& w) { return implies(w, weak); });
}

bool needs_process_order(const ConsistencyModel& model) {
  return std::any_of(model.proscribed.begin(), model.proscribed.end(),
                     [](const std::string& a) { return a.ends_with("-process"); });
}

bool needs_realtime_order(const ConsistencyModel& model) {
  return std::any_of(model.proscribed.begin(), model.proscribed.end(),
                     [](const std::string& a) { return a.ends_with("-realtime"); });
}

}  // namespace faultline::txn
