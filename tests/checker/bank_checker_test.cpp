// The bank checker: reads whose total is wrong or with a negative balance are reported.

#include "checker/bank/bank_checker.h"

#include <gtest/gtest.h>

#include <sstream>

#include "checker/history/history.h"

namespace faultline {
namespace {

History parse(const std::string& jsonl) {
  std::istringstream in(jsonl);
  return read_history(in, "bank.jsonl", HistoryFormat::kJsonl);
}

std::string read(int process, const std::string& balances) {
  return R"({"type":"invoke","process":)" + std::to_string(process) +
         R"(,"f":"read","value":null}
{"type":"ok","process":)" +
         std::to_string(process) + R"(,"f":"read","node":"n2","value":)" + balances + "}\n";
}

const std::string kTransfers =
    R"({"type":"invoke","process":0,"f":"transfer","value":{"from":"0","to":"1","amount":5}}
{"type":"ok","process":0,"f":"transfer","value":{"from":"0","to":"1","amount":5}}
{"type":"invoke","process":0,"f":"transfer","value":{"from":"1","to":"2","amount":50}}
{"type":"fail","process":0,"f":"transfer","value":{"from":"1","to":"2","amount":50}}
)";

BankCheckOptions options() {
  BankCheckOptions o;
  o.accounts = {"0", "1", "2"};
  o.total = 30;
  return o;
}

TEST(BankChecker, ReadsShowingTheTotalAreValid) {
  auto r = check_bank(parse(kTransfers + read(1, R"({"0":5,"1":15,"2":10})") +
                            read(2, R"({"0":10,"1":10,"2":10})")),
                      options());
  EXPECT_EQ(r.verdict, Verdict::kValid) << r.summary();
  EXPECT_EQ(r.reads, 2u);
  EXPECT_EQ(r.transfers_ok, 1u);
  EXPECT_EQ(r.transfers_failed, 1u);
}

TEST(BankChecker, AWrongTotalIsReportedWithTheOffendingRead) {
  auto r = check_bank(parse(kTransfers + read(1, R"({"0":5,"1":10,"2":10})")), options());
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  ASSERT_EQ(r.wrong_total_count, 1u);
  EXPECT_EQ(r.wrong_totals[0].observed_total, 25);
  EXPECT_EQ(r.wrong_totals[0].node, "n2");
  EXPECT_EQ(r.wrong_totals[0].index, 5);
  EXPECT_NE(r.summary().find("total 25, expected 30"), std::string::npos) << r.summary();
}

TEST(BankChecker, ANegativeBalanceIsReported) {
  auto r = check_bank(parse(read(1, R"({"0":-5,"1":25,"2":10})")), options());
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.negative_count, 1u);
  EXPECT_EQ(r.wrong_total_count, 0u);
  EXPECT_EQ(r.to_json().at("negative").at("reads").as_array()[0].at("problem"), "account 0 is -5");
  BankCheckOptions allowed = options();
  allowed.negative_allowed = true;
  EXPECT_EQ(check_bank(parse(read(1, R"({"0":-5,"1":25,"2":10})")), allowed).verdict,
            Verdict::kValid);
}

TEST(BankChecker, AReadMissingAnAccountIsMalformed) {
  auto r = check_bank(parse(read(1, R"({"0":20,"1":10})")), options());
  EXPECT_EQ(r.verdict, Verdict::kInvalid);
  EXPECT_EQ(r.malformed_count, 1u);
}

TEST(BankChecker, NoSuccessfulReadIsUnknown) {
  EXPECT_EQ(check_bank(parse(kTransfers), options()).verdict, Verdict::kUnknown);
}

}  // namespace
}  // namespace faultline
