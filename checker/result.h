#pragma once
// The vocabulary every checker answers in, at the bottom of checker/: a Verdict, and one
// result (verdict, the checker's JSON document, a few lines for a person) that each checker's
// own detailed result type converts to with checker_result(). Runs, `check`, `analyze`,
// reports and compare read only this; they never need a particular checker's header for it.

#include <boost/json.hpp>
#include <concepts>
#include <string>
#include <string_view>

namespace faultline {

enum class Verdict { kValid, kInvalid, kUnknown };
std::string_view to_string(Verdict verdict);  // "valid" | "invalid" | "unknown"

struct CheckerResult {
  Verdict verdict = Verdict::kUnknown;
  boost::json::object document;  // the checker's own result document (docs/results-format.md)
  std::string summary;           // a few lines for a person
};

// What each checker's detailed result offers (lin::CheckResult, txn::TxnCheckResult,
// SetCheckResult, BankCheckResult, CounterCheckResult, ConvergenceResult, ...).
template <class R>
concept CheckerAnswer = requires(const R& r) {
  { r.verdict } -> std::convertible_to<Verdict>;
  { r.to_json() } -> std::convertible_to<boost::json::object>;
  { r.summary() } -> std::convertible_to<std::string>;
};

template <CheckerAnswer R>
CheckerResult checker_result(const R& r) {
  return CheckerResult{r.verdict, r.to_json(), r.summary()};
}

}  // namespace faultline
