// The online bank check: every read decided at its completion, with check_bank's verdict.

#include "checker/online/online_bank.h"

#include <gtest/gtest.h>

#include <random>

#include "checker/history/input_error.h"

namespace faultline {
namespace {

Operation record(std::int64_t index, OpType type, std::int64_t process, const std::string& f,
                 boost::json::value value) {
  Operation op;
  op.index = index;
  op.type = type;
  op.process = process;
  op.f = f;
  op.value = std::move(value);
  op.time = index * 1000;
  return op;
}

// Random bank histories: transfers and reads over 3 accounts of total 30; some reads are
// given a wrong balance.
History bank_history(std::uint64_t seed, double bad_share) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> account(0, 2), pick(0, 9);
  std::uniform_real_distribution<double> unit(0, 1);
  History h;
  std::int64_t index = 0;
  for (int i = 0; i < 200; ++i) {
    const std::int64_t p = i % 4;
    if (pick(rng) < 4) {
      boost::json::object t{{"from", account(rng)}, {"to", account(rng)}, {"amount", 1}};
      h.ops.push_back(record(index++, OpType::kInvoke, p, "transfer", t));
      h.ops.push_back(
          record(index++, pick(rng) < 8 ? OpType::kOk : OpType::kFail, p, "transfer", t));
      continue;
    }
    h.ops.push_back(record(index++, OpType::kInvoke, p, "read", nullptr));
    boost::json::object balances{{"0", 10}, {"1", 10}, {"2", 10}};
    if (unit(rng) < bad_share) balances["1"] = 9;
    const OpType outcome = pick(rng) < 9 ? OpType::kOk : OpType::kInfo;
    h.ops.push_back(record(index++, outcome, p, "read",
                           outcome == OpType::kOk ? boost::json::value(balances) : nullptr));
  }
  return h;
}

TEST(OnlineBank, EveryReadIsDecidedAtItsCompletionWithTheOfflineVerdict) {
  BankCheckOptions options;
  options.accounts = {"0", "1", "2"};
  options.total = 30;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const History h = bank_history(seed, seed % 2 ? 0.05 : 0);
    const BankCheckResult offline = check_bank(h, options);
    OnlineBank online(options);
    std::optional<std::size_t> proved_at;
    for (std::size_t i = 0; i < h.ops.size(); ++i) {
      online.add(h.ops[i]);
      if (!proved_at && online.state().first_violation) proved_at = i;
    }
    online.finish();
    const OnlineState s = online.state();
    SCOPED_TRACE("seed " + std::to_string(seed));
    EXPECT_EQ(s.verdict_so_far(), offline.verdict);
    EXPECT_EQ(s.valid + s.invalid, offline.reads);
    EXPECT_EQ(s.anomalies.count("wrong-total") ? s.anomalies.at("wrong-total") : 0u,
              offline.wrong_total_count);
    if (offline.verdict == Verdict::kInvalid) {
      ASSERT_TRUE(proved_at);
      // Proved by the first bad read's completion, the moment it was fed.
      EXPECT_EQ(s.first_violation->operation, offline.wrong_totals.front().index);
      EXPECT_EQ(static_cast<std::int64_t>(*proved_at), offline.wrong_totals.front().index);
    }
  }
}

TEST(OnlineBank, RefusesWhatTheOfflineCheckerRefuses) {
  BankCheckOptions options;
  options.accounts = {"0"};
  options.total = 1;
  OnlineBank online(options, "h.jsonl");
  Operation read = record(0, OpType::kInvoke, 2, "read", nullptr);
  read.line = 4;
  online.add(read);
  Operation again = record(1, OpType::kInvoke, 2, "read", nullptr);
  again.line = 5;
  try {
    online.add(again);
    FAIL() << "accepted a second invocation while one was open";
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 5u);
    EXPECT_NE(std::string(e.what()).find("has not completed"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace faultline
