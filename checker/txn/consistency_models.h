#pragma once
// Consistency models and the anomalies each one proscribes (Adya 1999; Elle's map of
// models, Kingsbury & Alvaro 2020; Fekete et al. 2005 for snapshot isolation, whose
// cycles always hold two adjacent rw edges, so it allows G2-item but not G-nonadjacent).
//
//   read-uncommitted (PL-1)    G0
//   read-committed (PL-2)      + G1a, G1b, G1c, dirty-update
//   snapshot-isolation         + G-single, G-nonadjacent, lost-update
//   repeatable-read (PL-2.99)  + G-single, G-nonadjacent, G2-item, lost-update
//   serializable (PL-3)        everything above
//   strong-session-snapshot-isolation / strong-session-serializable: + the -process
//     variants of the cycles their base model proscribes
//   strong-snapshot-isolation / strict-serializable: + the -process and -realtime variants
// internal, duplicate-elements, incompatible-order and garbage-read mean the store
// returned data no execution could produce: every model proscribes them.

#include <string>
#include <string_view>
#include <vector>

namespace faultline::txn {

struct ConsistencyModel {
  std::string name;
  std::vector<std::string> implies;     // weaker models it directly implies
  std::vector<std::string> proscribed;  // anomaly names (cycle_name / case_name)
};

const std::vector<ConsistencyModel>& consistency_models();  // weakest first
const ConsistencyModel* find_consistency_model(std::string_view name);
std::vector<std::string> consistency_model_names();

// Does `strong` imply `weak` (reflexive, transitive)?
bool implies(const std::string& strong, const std::string& weak);

// Which edge orders a model needs in the graph.
bool needs_process_order(const ConsistencyModel& model);
bool needs_realtime_order(const ConsistencyModel& model);

}  // namespace faultline::txn
