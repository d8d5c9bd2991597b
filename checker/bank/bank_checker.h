#pragma once
// check_bank: did every read of a bank see money neither created nor destroyed?
//
// The bank holds fixed accounts whose balances sum to a fixed total. `transfer` operations
// (value {"from": A, "to": B, "amount": N}) move money; `read` operations complete with an
// object mapping every account name to its balance, read as one snapshot. Under snapshot
// isolation or anything stronger each read must show exactly the total, and (unless
// negative balances are allowed) no account below zero. Transfers are not judged: only
// what reads observed. Unknown when no read succeeded.

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/history/history.h"
#include "checker/result.h"

namespace faultline {

struct BankCheckOptions {
  std::vector<std::string> accounts;  // every account a read must show
  std::int64_t total = 0;
  bool negative_allowed = false;
  std::size_t max_examples = 10;  // offending reads kept per kind
};

// One read that broke a rule, with what it saw.
struct BankAnomaly {
  std::int64_t index = 0;  // Operation::index of the read's completion
  std::int64_t process = 0;
  std::string node;  // empty when not recorded
  std::int64_t observed_total = 0;
  boost::json::object balances;
  std::string problem;  // "total 98, expected 100" / "account 3 is -2" / ...
};

struct BankCheckResult {
  Verdict verdict = Verdict::kUnknown;
  std::string reason;
  std::size_t reads = 0;  // ok reads checked
  std::size_t transfers_ok = 0, transfers_failed = 0, transfers_unknown = 0;
  std::size_t wrong_total_count = 0, negative_count = 0, malformed_count = 0;
  std::vector<BankAnomaly> wrong_totals, negatives, malformed;  // up to max_examples each

  // Part of the results document ("checker": "bank").
  boost::json::object to_json() const;
  std::string summary() const;
};

BankCheckResult check_bank(const History& history, const BankCheckOptions& options);

}  // namespace faultline
