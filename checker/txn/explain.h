#pragma once
// Explanations in words of anomalies and of the edges of a cycle, e.g.
//   "T1 < T2 because T2 read T1's append of 3 to key 7"
// Transactions are named T<index>, the history index of their invocation.

#include <boost/json.hpp>
#include <string>

#include "checker/txn/check.h"
#include "checker/txn/cycle_search.h"
#include "checker/txn/dependencies.h"

namespace faultline::txn {

class Explainer {
 public:
  Explainer(const TxnHistory& h, const Dependencies& deps) : h_(h), deps_(deps) {}

  AnomalyExample explain(const Cycle& cycle) const;
  AnomalyExample explain(const Case& c) const;

  std::string name(std::uint32_t txn) const;  // "T12"
  boost::json::object txn_json(std::uint32_t txn) const;

 private:
  std::string why(const CycleStep& step) const;  // "T1 < T2 because ..."
  std::string why_ww(std::uint32_t a, std::uint32_t b) const;
  std::string why_wr(std::uint32_t a, std::uint32_t b) const;
  std::string why_rw(std::uint32_t a, std::uint32_t b) const;
  std::string list_text(const Mop& read) const;
  std::string key(std::uint32_t k) const { return "key " + h_.key_names[k]; }
  std::string val(Value v) const { return h_.values.text(v); }
  long position(std::uint32_t key, Value v) const;  // in the version order; -1 if absent

  const TxnHistory& h_;
  const Dependencies& deps_;
};

}  // namespace faultline::txn
