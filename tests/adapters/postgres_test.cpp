// `faultline test --db postgres` end to end on a local cluster of its own: the documented
// behaviour of PostgreSQL's isolation levels as the transactional checker sees it.
// SERIALIZABLE shows no anomaly; REPEATABLE READ (snapshot isolation) shows write skew
// (G2-item) with a cycle explanation; READ COMMITTED shows anomalies it allows (G-single,
// lost update). Each run is 6 s of list-append transactions from 8 clients on 4 keys, on
// the primary alone (no standbys: they play no part here).

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/local_cluster.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::Outcome;

const std::string kFaultline = FAULTLINE_BINARY;

// One 3-node local cluster for the suite and a temporary store, removed whatever happens.
class PostgresRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Outcome up = testing::cluster_up("fl-pg", 3, local_);
    cluster_ = local_.name;
    store_ = local_.store;
    cluster_ok_ = up.exit_code == 0;
    if (!cluster_ok_) std::cerr << up.out << up.err;
  }
  static void TearDownTestSuite() { testing::cluster_down(local_); }
  void SetUp() override { ASSERT_TRUE(cluster_ok_) << "faultline cluster up failed"; }

  // list-append at `isolation`; the run's results.json (empty on a crash).
  boost::json::object list_append(const std::string& isolation, Outcome& outcome,
                                  const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv{
        kFaultline,     "test",      "--cluster",     cluster_,      "--store",     store_.string(),
        "--db",         "postgres",  "--workload",    "list-append", "--isolation", isolation,
        "--time-limit", "6",         "--concurrency", "8",           "--keys",      "4",
        "--db-setting", "replicas=0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    outcome = testing::run(argv, 90s);
    fs::path results = fs::canonical(store_ / "latest") / "results.json";
    std::ifstream in(results);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    return ec || !v.is_object() ? boost::json::object{} : v.as_object();
  }

  static std::size_t count_of(const boost::json::object& results, const char* anomaly) {
    const auto* counts = results.if_contains("anomaly_counts");
    if (!counts || !counts->is_object() || !counts->as_object().contains(anomaly)) return 0;
    return counts->as_object().at(anomaly).to_number<std::size_t>();
  }

  static bool lists(const boost::json::object& results, const char* field, const char* name) {
    const auto* a = results.if_contains(field);
    if (!a || !a->is_array()) return false;
    for (const auto& v : a->as_array()) {
      if (v.is_string() && v.as_string() == name) return true;
    }
    return false;
  }

  static testing::LocalCluster local_;
  static std::string cluster_;
  static fs::path store_;
  static bool cluster_ok_;
};

testing::LocalCluster PostgresRun::local_;
std::string PostgresRun::cluster_;
fs::path PostgresRun::store_;
bool PostgresRun::cluster_ok_ = false;

TEST_F(PostgresRun, SerializableListAppendIsValid) {
  Outcome r;
  auto results = list_append("serializable", r);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("verdict: valid"), std::string::npos) << r.out;
  EXPECT_EQ(results.at("consistency_model"), "serializable");
  EXPECT_EQ(results.at("anomaly_types").as_array().size(), 0u) << boost::json::serialize(results);
  // Enough committed transactions that contention was real, and some were refused for it.
  EXPECT_GT(results.at("stats").at("txns_ok").to_number<int>(), 200);
  EXPECT_GT(results.at("stats").at("txns_fail").to_number<int>(), 0);
  EXPECT_TRUE(fs::exists(fs::canonical(store_ / "latest") / "nodes" / "n1" / "postgres.log"));
}

TEST_F(PostgresRun, RepeatableReadShowsWriteSkewWithACycleExplanation) {
  // Write skew depends on timing: up to three runs (PostgreSQL shows it in most).
  boost::json::object results;
  Outcome r;
  for (int attempt = 0; attempt < 3; ++attempt) {
    results = list_append("repeatable-read", r);
    ASSERT_NE(r.exit_code, -1) << r.err;
    if (count_of(results, "G2-item") > 0) break;
  }
  ASSERT_GT(count_of(results, "G2-item"), 0u) << boost::json::serialize(results);
  // Judged as snapshot isolation (what REPEATABLE READ promises), which allows write skew...
  EXPECT_EQ(results.at("consistency_model"), "snapshot-isolation");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(lists(results, "violated_models", "serializable"));
  EXPECT_TRUE(lists(results, "violated_models", "repeatable-read"));
  EXPECT_NE(r.out.find("G2-item"), std::string::npos) << r.out;
  // ...explained as a cycle with two adjacent anti-dependencies.
  bool explained = false;
  for (const auto& a : results.at("anomalies").as_array()) {
    const auto& anomaly = a.as_object();
    if (anomaly.at("type") != "G2-item") continue;
    const auto& cycle = anomaly.at("cycle").as_array();
    std::size_t rw = 0;
    for (const auto& step : cycle) rw += step.at("edge") == "rw" ? 1 : 0;
    std::string text(anomaly.at("explanation").as_string());
    explained = cycle.size() >= 2 && rw >= 2 && text.find("because") != std::string::npos;
    if (explained) break;
  }
  EXPECT_TRUE(explained) << boost::json::serialize(results.at("anomalies"));

  // Judged as serializable, the same history is invalid.
  fs::path history = fs::canonical(store_ / "latest") / "history.jsonl";
  Outcome check = testing::run({kFaultline, "check", history.string(), "--model", "list-append",
                                "--consistency-model", "serializable"});
  EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
}

TEST_F(PostgresRun, ReadCommittedShowsAnomaliesReadCommittedAllows) {
  Outcome r;
  auto results = list_append("read-committed", r);
  ASSERT_NE(r.exit_code, -1) << r.err;
  EXPECT_EQ(results.at("consistency_model"), "read-committed");
  std::size_t allowed = count_of(results, "G-single") + count_of(results, "lost-update");
  EXPECT_GT(allowed, 0u) << boost::json::serialize(results.at("anomaly_counts"));
  // Nothing read committed proscribes.
  for (const char* proscribed : {"G0", "G1a", "G1b", "G1c", "dirty-update"}) {
    EXPECT_EQ(count_of(results, proscribed), 0u) << proscribed;
  }
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(lists(results, "violated_models", "snapshot-isolation"));
}

}  // namespace
}  // namespace faultline
