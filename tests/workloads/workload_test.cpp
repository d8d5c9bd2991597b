// Workloads: reproducible operation streams, unique values, key rotation, config round trip.

#include "workloads/workload.h"

#include <gtest/gtest.h>

#include <set>

#include "tests/workloads/draw.h"

namespace faultline {
namespace {

TEST(RegisterWorkload, SameSeedAndWorkerGiveTheSameOperations) {
  WorkloadOptions o;
  o.seed = 42;
  auto w = make_workload("register", o);
  auto a = draw(*w, 3, 8, 500), b = draw(*w, 3, 8, 500);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(to_json(a[i]), to_json(b[i])) << "operation " << i;
  }
  o.seed = 43;
  auto other = draw(*make_workload("register", o), 3, 8, 500);
  int same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += to_json(a[i]) == to_json(other[i]);
  EXPECT_LT(same, 400) << "a different seed should give a different stream";
}

TEST(RegisterWorkload, WrittenValuesAreUniquePerKeyAcrossWorkers) {
  WorkloadOptions o;
  o.seed = 7;
  o.cas_share = 0;
  auto w = make_workload("register", o);
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  for (std::size_t worker = 0; worker < 4; ++worker) {
    for (const auto& op : draw(*w, worker, 4, 2000)) {
      if (op.f != "write") continue;
      EXPECT_TRUE(seen.insert({op.key->as_int64(), op.value.as_int64()}).second)
          << "value " << op.value.as_int64() << " written twice to key " << op.key->as_int64();
    }
  }
  EXPECT_GT(seen.size(), 1000u);
}

TEST(RegisterWorkload, MixFollowsTheSharesAndKeysRotate) {
  WorkloadOptions o;
  o.seed = 1;
  o.keys = 2;
  o.ops_per_key = 100;
  o.read_share = 0.7;
  auto w = make_workload("register", o);
  auto gen = w->generator(0, 1);
  int reads = 0, writes = 0, cas = 0;
  std::set<std::int64_t> keys;
  for (int i = 0; i < 1000; ++i) {
    Operation op;
    gen->next(op);
    keys.insert(op.key->as_int64());
    if (op.f == "read") {
      ++reads;
      // Pretend the read saw a value, so that compare-and-set has something to compare.
      Operation done = op;
      done.type = OpType::kOk;
      done.value = 5;
      gen->observe(op, done);
    } else if (op.f == "write") {
      ++writes;
    } else {
      ASSERT_EQ(op.f, "cas");
      ASSERT_EQ(op.value.as_array().size(), 2u);
      ++cas;
    }
  }
  EXPECT_NEAR(reads, 700, 60);
  EXPECT_GT(cas, 100);
  EXPECT_GT(writes, 20);
  // 1000 ops, 200 per group of 2 keys: 5 groups, 10 keys.
  EXPECT_EQ(keys.size(), 10u);
}

TEST(SetWorkload, AddsUniqueElementsAndReadsFinally) {
  auto w = make_workload("set", WorkloadOptions{});
  std::set<std::int64_t> elements;
  for (std::size_t worker = 0; worker < 3; ++worker) {
    for (const auto& op : draw(*w, worker, 3, 300)) {
      if (op.f == "add") {
        EXPECT_TRUE(elements.insert(op.value.as_int64()).second);
      }
    }
  }
  auto finals = w->final_ops();
  ASSERT_EQ(finals.size(), 1u);
  EXPECT_EQ(finals[0].f, "read");
  EXPECT_EQ(finals[0].extra.at("final"), true);
}

TEST(BankWorkload, SetupSplitsTheTotalAndTransfersStayInside) {
  WorkloadOptions o;
  o.accounts = 3;
  o.total = 100;
  auto w = make_workload("bank", o);
  auto setup = w->setup_ops();
  ASSERT_EQ(setup.size(), 1u);
  std::int64_t sum = 0;
  for (const auto& [account, balance] : setup[0].value.as_object()) sum += balance.as_int64();
  EXPECT_EQ(sum, 100);
  EXPECT_EQ(setup[0].value.as_object().size(), 3u);
  for (const auto& op : draw(*w, 0, 1, 500)) {
    if (op.f != "transfer") continue;
    const auto& t = op.value.as_object();
    EXPECT_NE(t.at("from"), t.at("to"));
    EXPECT_GE(t.at("amount").as_int64(), 1);
    EXPECT_LE(t.at("amount").as_int64(), o.max_transfer);
  }
}

TEST(Workloads, ConfigRoundTripsAndUnknownNamesAreRefused) {
  WorkloadOptions o;
  o.seed = 99;
  o.keys = 3;
  o.read_share = 0.25;
  o.linearizable_reads = false;
  auto w = make_workload("register", o);
  auto back = workload_from_config(w->config());
  EXPECT_EQ(back->config(), w->config());
  EXPECT_EQ(back->name(), "register");
  EXPECT_THROW(make_workload("queue", o), std::invalid_argument);
  EXPECT_THROW(workload_from_config(boost::json::object{{"keys", 3}}), std::invalid_argument);
  o.read_share = 1.5;
  EXPECT_THROW(make_workload("set", o), std::invalid_argument);
}

}  // namespace
}  // namespace faultline
