#include "checker/bank/bank_checker.h"

#include <sstream>

#include "checker/history/pairing.h"

namespace faultline {
namespace {

boost::json::object anomaly_json(const BankAnomaly& a) {
  boost::json::object out{{"index", a.index},
                          {"process", a.process},
                          {"total", a.observed_total},
                          {"balances", a.balances},
                          {"problem", a.problem}};
  if (!a.node.empty()) out["node"] = a.node;
  return out;
}

}  // namespace

BankCheckResult check_bank(const History& history, const BankCheckOptions& options) {
  BankCheckResult result;
  PairedHistory paired = pair_operations(history);
  for (const PairedOp& pair : paired.ops) {
    const Operation& invoke = history.ops[pair.invoke];
    if (invoke.f == "transfer") {
      switch (pair.outcome) {
        case OpType::kOk:
          ++result.transfers_ok;
          break;
        case OpType::kFail:
          ++result.transfers_failed;
          break;
        default:
          ++result.transfers_unknown;
          break;
      }
      continue;
    }
    if (invoke.f != "read" || pair.outcome != OpType::kOk) continue;
    const Operation& done = history.ops[*pair.completion];
    ++result.reads;
    BankAnomaly a;
    a.index = done.index;
    a.process = done.process;
    if (done.node) a.node = *done.node;
    auto keep = [&](std::vector<BankAnomaly>& into, std::size_t& count, std::string problem) {
      ++count;
      if (into.size() < options.max_examples) {
        BankAnomaly copy = a;
        copy.problem = std::move(problem);
        into.push_back(std::move(copy));
      }
    };
    if (!done.value.is_object()) {
      keep(result.malformed, result.malformed_count,
           "read returned " + boost::json::serialize(done.value) + ", not balances");
      continue;
    }
    a.balances = done.value.get_object();
    std::string missing;
    std::int64_t sum = 0;
    std::vector<std::string> negative;
    for (const std::string& account : options.accounts) {
      const auto* v = a.balances.if_contains(account);
      if (!v || !v->is_int64()) {
        missing += (missing.empty() ? "" : ", ") + account;
        continue;
      }
      sum += v->get_int64();
      if (v->get_int64() < 0) {
        negative.push_back("account " + account + " is " + std::to_string(v->get_int64()));
      }
    }
    a.observed_total = sum;
    if (!missing.empty()) {
      keep(result.malformed, result.malformed_count, "no integer balance for " + missing);
      continue;
    }
    if (sum != options.total) {
      keep(result.wrong_totals, result.wrong_total_count,
           "total " + std::to_string(sum) + ", expected " + std::to_string(options.total));
    }
    if (!options.negative_allowed) {
      for (auto& n : negative) keep(result.negatives, result.negative_count, n);
    }
  }
  if (result.wrong_total_count + result.negative_count + result.malformed_count > 0) {
    result.verdict = Verdict::kInvalid;
  } else if (result.reads == 0) {
    result.verdict = Verdict::kUnknown;
    result.reason = "no read succeeded";
  } else {
    result.verdict = Verdict::kValid;
  }
  return result;
}

boost::json::object BankCheckResult::to_json() const {
  boost::json::object out;
  out["schema"] = "faultline.results/1";
  out["checker"] = "bank";
  out["verdict"] = to_string(verdict);
  if (!reason.empty()) out["reason"] = reason;
  out["reads"] = reads;
  out["transfers"] = {
      {"ok", transfers_ok}, {"failed", transfers_failed}, {"unknown", transfers_unknown}};
  auto kind = [](std::size_t count, const std::vector<BankAnomaly>& examples) {
    boost::json::array list;
    for (const auto& a : examples) list.push_back(anomaly_json(a));
    return boost::json::object{{"count", count}, {"reads", std::move(list)}};
  };
  out["wrong_total"] = kind(wrong_total_count, wrong_totals);
  out["negative"] = kind(negative_count, negatives);
  out["malformed"] = kind(malformed_count, malformed);
  return out;
}

std::string BankCheckResult::summary() const {
  std::ostringstream out;
  out << "bank: " << to_string(verdict) << " — " << reads << " reads, transfers " << transfers_ok
      << " ok / " << transfers_failed << " failed / " << transfers_unknown << " unknown\n";
  if (!reason.empty()) out << "  " << reason << '\n';
  out << "  wrong totals " << wrong_total_count << ", negative balances " << negative_count
      << ", malformed reads " << malformed_count << '\n';
  for (const auto* list : {&wrong_totals, &negatives, &malformed}) {
    for (const auto& a : *list) {
      out << "  read at index " << a.index << " (process " << a.process
          << (a.node.empty() ? "" : " on " + a.node) << "): " << a.problem << ": "
          << boost::json::serialize(a.balances) << '\n';
    }
  }
  return out.str();
}

}  // namespace faultline
