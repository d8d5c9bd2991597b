#pragma once
// OnlineBank: the bank checker (checker/bank) read by read. check_bank judges every `ok` read
// on its own (its total, its balances) and never a transfer, so each read is decided the
// moment its completion arrives, by check_bank itself on that read alone. Only "unknown: no
// read succeeded" waits for the end.

#include <string>
#include <unordered_map>

#include "checker/bank/bank_checker.h"
#include "checker/online/online_check.h"
#include "checker/online/online_pairing.h"

namespace faultline {

class OnlineBank final : public OnlineCheck {
 public:
  // `source` names the history in errors (InputError, as pair_operations offline).
  explicit OnlineBank(BankCheckOptions options, std::string source = "online");
  void add(const Operation& op) override;
  void finish() override;
  OnlineState state() const override { return state_; }

 private:
  BankCheckOptions options_;
  OnlineState state_;
  std::string source_ = "online";
  OnlinePairing pairing_{source_};
};

}  // namespace faultline
