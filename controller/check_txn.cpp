#include "controller/check_txn.h"

#include <filesystem>
#include <fstream>
#include <iostream>

#include "checker/history/history.h"
#include "checker/txn/check.h"
#include "controller/errors.h"
#include "controller/exit_codes.h"

namespace faultline {

bool is_txn_model(const std::string& model) {
  return txn::parse_object_kind(model).has_value();
}

int run_txn_check(const TxnCheckCommand& c) {
  txn::TxnCheckOptions options;
  options.workload = *txn::parse_object_kind(c.model);
  if (!c.consistency_model.empty()) options.consistency_model = c.consistency_model;
  options.threads = c.threads;
  options.time_limit_s = c.time_limit;
  options.memory_limit_mib = c.memory_limit;
  std::optional<HistoryFormat> format;
  if (!c.format.empty()) {
    format = parse_history_format(c.format);
    if (!format) throw UsageError("unknown --format '" + c.format + "'");
  }
  History history = read_history(c.file, format);
  txn::TxnCheckResult result;
  try {
    result = txn::check_transactions(history, options);
  } catch (const txn::UnknownConsistencyModel& e) {
    throw UsageError(e.what());
  }
  const boost::json::object doc = result.to_json();
  if (!c.out.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(c.out, ec);
    if (ec) throw UsageError("cannot create " + c.out + ": " + ec.message());
    const auto path = std::filesystem::path(c.out) / "results.json";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw UsageError("cannot write " + path.string());
    out << boost::json::serialize(doc) << '\n';
    if (!out.flush()) throw std::runtime_error("writing " + path.string() + " failed");
  }
  if (c.json) {
    std::cout << boost::json::serialize(doc) << '\n';
  } else {
    std::cout << result.summary();
  }
  switch (result.verdict) {
    case Verdict::kValid:
      return kExitValid;
    case Verdict::kInvalid:
      return kExitInvalid;
    case Verdict::kUnknown:
      return kExitUnknown;
  }
  return kExitUnknown;
}

}  // namespace faultline
