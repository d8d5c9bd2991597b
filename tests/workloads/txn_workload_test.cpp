// The transactional workloads (list-append, rw-register): the transactions they generate
// and the model their check judges against.

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/workloads/draw.h"
#include "workloads/workload.h"

namespace faultline {
namespace {

TEST(ListAppendWorkload, TransactionsOfOneToFiveMicroOpsWithValuesUniquePerKey) {
  WorkloadOptions o;
  o.seed = 5;
  auto w = make_workload("list-append", o);
  EXPECT_EQ(w->name(), "list-append");
  std::set<std::pair<std::int64_t, std::int64_t>> written;
  std::set<std::size_t> lengths;
  std::size_t reads = 0, appends = 0;
  for (std::size_t worker = 0; worker < 4; ++worker) {
    for (const Operation& op : draw(*w, worker, 4, 2000)) {
      ASSERT_EQ(op.f, "txn");
      const auto& mops = op.value.as_array();
      lengths.insert(mops.size());
      std::set<std::int64_t> touched;
      for (const auto& m : mops) {
        const auto& a = m.as_array();
        const std::int64_t key = a[1].as_int64();
        if (a[0] == "r") {
          ++reads;
          EXPECT_TRUE(a[2].is_null());
          // Read at most once per transaction, and never after writing the key.
          EXPECT_FALSE(touched.count(key)) << boost::json::serialize(op.value);
        } else {
          ++appends;
          EXPECT_EQ(a[0], "append");
          EXPECT_TRUE(written.insert({key, a[2].as_int64()}).second) << "value written twice";
        }
        touched.insert(key);
      }
    }
  }
  EXPECT_EQ(*lengths.begin(), 1u);
  EXPECT_EQ(*lengths.rbegin(), 5u);
  EXPECT_GT(reads, 2000u);
  EXPECT_GT(appends, 2000u);
}

TEST(ListAppendWorkload, FewKeysAtATimeAndTheWindowMovesOn) {
  WorkloadOptions o;
  o.seed = 9;
  o.keys = 4;
  o.ops_per_key = 100;
  auto ops = draw(*make_workload("list-append", o), 0, 2, 3000);
  std::map<std::int64_t, std::size_t> uses;
  std::int64_t first_max = 0;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    for (const auto& m : ops[i].value.as_array()) {
      std::int64_t key = m.as_array()[1].as_int64();
      ++uses[key];
      if (i < 10) first_max = std::max(first_max, key);
    }
  }
  EXPECT_LT(first_max, 8);       // the first transactions use the first few keys
  EXPECT_GT(uses.size(), 100u);  // ...and later ones have moved far beyond them
  for (const auto& [key, n] : uses) EXPECT_LT(n, 200u) << "key " << key;
}

TEST(RwRegisterWorkload, WritesInsteadOfAppends) {
  WorkloadOptions o;
  auto w = make_workload("rw-register", o);
  EXPECT_EQ(w->name(), "rw-register");
  for (const Operation& op : draw(*w, 1, 3, 200)) {
    for (const auto& m : op.value.as_array()) {
      EXPECT_TRUE(m.as_array()[0] == "r" || m.as_array()[0] == "w");
    }
  }
}

// Two concurrent transactions, each reading the key the other appends to: write skew.
History write_skew() {
  History h;
  auto add = [&h](OpType type, std::int64_t process, boost::json::value value) {
    Operation op;
    op.index = static_cast<std::int64_t>(h.ops.size());
    op.type = type;
    op.process = process;
    op.f = "txn";
    op.time = op.index * 1000;
    op.value = std::move(value);
    h.ops.push_back(op);
  };
  using boost::json::array;
  add(OpType::kInvoke, 0, array{array{"r", 1, nullptr}, array{"append", 2, 10}});
  add(OpType::kInvoke, 1, array{array{"r", 2, nullptr}, array{"append", 1, 20}});
  add(OpType::kOk, 0, array{array{"r", 1, array{}}, array{"append", 2, 10}});
  add(OpType::kOk, 1, array{array{"r", 2, array{}}, array{"append", 1, 20}});
  add(OpType::kInvoke, 2, array{array{"r", 1, nullptr}, array{"r", 2, nullptr}});
  add(OpType::kOk, 2, array{array{"r", 1, array{20}}, array{"r", 2, array{10}}});
  return h;
}

TEST(ListAppendWorkload, JudgesAgainstTheConsistencyModelItWasGiven) {
  WorkloadOptions o;
  o.consistency_model = "snapshot-isolation";  // what PostgreSQL's REPEATABLE READ promises
  CheckerResult si = make_workload("list-append", o)->check(write_skew(), CheckBudget{});
  EXPECT_EQ(si.verdict, Verdict::kValid) << si.summary;
  EXPECT_NE(si.summary.find("G2-item"), std::string::npos) << si.summary;  // still reported
  EXPECT_EQ(si.document.at("consistency_model"), "snapshot-isolation");

  o.consistency_model = "serializable";
  CheckerResult ser = make_workload("list-append", o)->check(write_skew(), CheckBudget{});
  EXPECT_EQ(ser.verdict, Verdict::kInvalid) << ser.summary;

  // Stored runs re-check with the same model (faultline analyze).
  auto again = workload_from_config(make_workload("list-append", o)->config());
  EXPECT_EQ(again->check(write_skew(), CheckBudget{}).verdict, Verdict::kInvalid);

  o.consistency_model = "snapshot";
  EXPECT_THROW(make_workload("list-append", o), std::invalid_argument);
}

}  // namespace
}  // namespace faultline
