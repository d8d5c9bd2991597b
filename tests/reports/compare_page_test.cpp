// The compare page's parts without a browser: the plain answers computed from given figures
// (missing ones included), the series of a small history, links relative to the page, and
// the list of compare pages `faultline serve` shows.

#include "reports/compare_page.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "checker/history/history.h"
#include "reports/compare_answers.h"
#include "reports/compare_index.h"
#include "reports/compare_series.h"
#include "tests/reports/test_support.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using test::make_op;

const boost::json::array kPartition = {
    {{"kind", "partition"}, {"start_ms", 2000}, {"end_ms", 5000}, {"open", false}}};

// One mode as compare.json holds it, with the figures the answers read.
boost::json::object mode(const std::string& name, double reads, double stale,
                         double stale_in_faults, double read_p99, double availability_in_faults) {
  boost::json::object staleness = {{"reads", reads},
                                   {"stale_reads", stale},
                                   {"stale_in_faults", stale_in_faults},
                                   {"stale_fault_kinds", boost::json::array{"partition"}},
                                   {"max_ms", 1250.0},
                                   {"max_versions", 137}};
  boost::json::object series = {
      {"faults", kPartition},
      {"last_heal_ms", 5000},
      {"staleness", staleness},
      {"latency", {{"count", 500}, {"by_f", {{"read", {{"count", 300}, {"p99", read_p99}}}}}}},
      {"convergence",
       {{"keys", 10},
        {"converged", 10},
        {"not_converged", 0},
        {"timed_out", 0},
        {"timeout_s", 30},
        {"ms", boost::json::array{12.5, 80.0, 420.0}}}}};
  boost::json::object summary = {
      {"latency_ms", {{"p50", 0.1}, {"p99", read_p99 + 1}}},
      {"availability_in_faults", availability_in_faults},
      {"availability_by_f_in_faults", {{"read", availability_in_faults}}}};
  return {{"mode", name}, {"summary", summary}, {"series", series}};
}

std::vector<std::string> texts(const std::vector<PlainAnswer>& answers) {
  std::vector<std::string> out;
  for (const auto& a : answers) out.push_back(a.text);
  return out;
}

bool has(const std::vector<PlainAnswer>& answers, const std::string& text) {
  for (const auto& a : answers)
    if (a.text == text) return true;
  return false;
}

std::string all_text(const std::vector<PlainAnswer>& answers) {
  std::string out;
  for (const auto& a : answers) out += a.text + "\n";
  return out;
}

TEST(PlainAnswers, StaleShareWorstCaseAndWhereItFellComeFromTheFigures) {
  boost::json::array modes = {mode("read-from=primary", 1000, 0, 0, 0.31, 0.9),
                              mode("read-from=replica", 1000, 134, 134, 0.21, 0.88)};
  auto answers = plain_answers(modes);
  EXPECT_TRUE(has(answers,
                  "With read-from=replica, 13.4% of reads were stale (134 of 1000); the "
                  "worst was 1.25 s and 137 versions behind; all of it inside partitions."))
      << all_text(answers);
  EXPECT_TRUE(has(answers, "With read-from=primary, no read was stale (0 of 1000 reads)."))
      << all_text(answers);
  EXPECT_TRUE(has(answers,
                  "Against read-from=replica, read-from=primary reads cost +0.10 ms at p99 "
                  "(0.31 ms vs 0.21 ms); read-from=primary lost no availability in faults "
                  "here (90.0% vs 88.0% of client time served); clients that wanted to "
                  "read were served 90.0% vs 88.0% of the time in faults."))
      << all_text(answers);
  EXPECT_TRUE(has(answers,
                  "With read-from=replica, all 10 keys agreed on every node within 420 ms "
                  "of the last heal."))
      << all_text(answers);
}

TEST(PlainAnswers, EachAnswerLinksThePlotsItIsReadFrom) {
  boost::json::array modes = {mode("a", 100, 0, 0, 1, 1), mode("b", 100, 10, 5, 1, 1)};
  for (const auto& a : plain_answers(modes)) {
    ASSERT_FALSE(a.plots.empty()) << a.text;
    if (a.text.find("were stale") != std::string::npos) {
      EXPECT_EQ(a.plots, (std::vector<std::string>{"staleness-cdf", "staleness-time"}));
      EXPECT_NE(a.text.find("50.0% of it inside partitions, the rest outside"), std::string::npos)
          << a.text;
    }
    if (a.text.find("p99") != std::string::npos) {
      EXPECT_EQ(a.plots,
                (std::vector<std::string>{"latency-cdf", "latency-time", "availability-time"}));
    }
    if (a.text.find("agreed") != std::string::npos) {
      EXPECT_EQ(a.plots, std::vector<std::string>{"convergence"});
    }
  }
  auto json = answers_to_json(plain_answers(modes));
  EXPECT_EQ(json[0].at("plots").as_array()[0], "staleness-cdf");
}

TEST(PlainAnswers, LostAvailabilityIsCountedInPoints) {
  boost::json::array modes = {mode("read-consistency=linearizable", 500, 0, 0, 9, 0.5),
                              mode("read-consistency=serializable", 500, 50, 50, 0.5, 0.9)};
  auto answers = plain_answers(modes);
  EXPECT_TRUE(has(answers,
                  "Against read-consistency=serializable, read-consistency=linearizable "
                  "reads cost +8.5 ms at p99 (9.0 ms vs 0.50 ms); "
                  "read-consistency=linearizable lost 40.0 points of availability in "
                  "faults (50.0% vs 90.0% of client time served); clients that wanted to "
                  "read were served 50.0% vs 90.0% of the time in faults."))
      << all_text(answers);
}

TEST(PlainAnswers, AMissingFigureIsSaidNotMeasured) {
  boost::json::object set_mode = mode("read-from=replica", 0, 0, 0, 1, 1);
  auto& series = set_mode["series"].as_object();
  series["staleness"] = nullptr;
  series["staleness_note"] = "measured on register histories only; this one has no write or cas";
  series["convergence"] = nullptr;
  series["convergence_note"] = "no final reads after the last heal";
  series.erase("latency");
  set_mode["summary"].as_object().erase("latency_ms");
  set_mode["summary"].as_object()["availability_in_faults"] = nullptr;
  boost::json::array modes = {mode("read-from=primary", 100, 0, 0, 1, 1), set_mode};
  auto answers = plain_answers(modes);
  EXPECT_TRUE(has(answers,
                  "With read-from=replica, staleness was not measured (measured on "
                  "register histories only; this one has no write or cas)."))
      << all_text(answers);
  EXPECT_TRUE(has(answers,
                  "With read-from=replica, convergence was not measured (no final reads "
                  "after the last heal)."))
      << all_text(answers);
  // The primary is not known to be fresher: the figures are only set side by side.
  EXPECT_TRUE(has(answers,
                  "read-from=primary against read-from=replica: p99 latency not measured; "
                  "availability in faults not measured (no client wanted service in "
                  "them)."))
      << all_text(answers);
  for (const auto& text : texts(answers)) EXPECT_EQ(text.find("cost"), std::string::npos) << text;
}

TEST(PlainAnswers, WithoutFaultsNothingIsClaimedAboutThem) {
  boost::json::array modes = {mode("a", 100, 0, 0, 1, 1), mode("b", 100, 3, 0, 1, 1)};
  for (auto& m : modes) {
    m.as_object()["series"].as_object()["faults"] = boost::json::array{};
    m.as_object()["series"].as_object()["last_heal_ms"] = nullptr;
  }
  auto answers = plain_answers(modes);
  ASSERT_FALSE(answers.empty());
  EXPECT_EQ(answers[0].text,
            "No fault was injected in these runs, so nothing here was measured inside faults.");
  EXPECT_TRUE(has(answers,
                  "With b, 3.0% of reads were stale (3 of 100); the worst was 1.25 s and "
                  "137 versions behind; the run had no faults."))
      << all_text(answers);
  EXPECT_TRUE(has(answers,
                  "Against b, a reads cost nothing at p99 (1.0 ms vs 1.0 ms); availability "
                  "in faults not measured (no fault windows)."))
      << all_text(answers);
  EXPECT_TRUE(has(answers,
                  "With a, all 10 keys agreed on every node within 420 ms of the first "
                  "final read (no fault was healed)."))
      << all_text(answers);
}

TEST(PlainAnswers, KeysThatStillDisagreeAreCounted) {
  boost::json::object m = mode("read-from=replica", 100, 1, 1, 1, 1);
  m["series"].as_object()["convergence"] = {{"keys", 10},         {"converged", 8},
                                            {"not_converged", 2}, {"timed_out", 0},
                                            {"timeout_s", 30},    {"ms", boost::json::array{5.0}}};
  auto answers = plain_answers(boost::json::array{m});
  EXPECT_TRUE(has(answers,
                  "With read-from=replica, 2 of 10 keys still disagreed between nodes "
                  "after the final reads (up to 30 s after the last heal)."))
      << all_text(answers);
}

TEST(PlainAnswers, DurationsReadAsPeopleWriteThem) {
  EXPECT_EQ(duration_text(0.42), "0.42 ms");
  EXPECT_EQ(duration_text(6.94), "6.9 ms");
  EXPECT_EQ(duration_text(380), "380 ms");
  EXPECT_EQ(duration_text(1250), "1.25 s");
  EXPECT_EQ(duration_text(12500), "12.5 s");
}

// Client 0 writes 1 then 2; client 1 reads 1 inside a partition after 2 was acknowledged
// (stale by 1 version), then each node reads 2 after the heal (final reads).
History stale_history() {
  const std::int64_t ms = 1'000'000;
  History h;
  h.ops = {make_op(0, OpType::kInvoke, 0, "write", 1, 10 * ms),
           make_op(1, OpType::kOk, 0, "write", 1, 12 * ms),
           make_op(2, OpType::kInfo, kNemesisProcess, "start-partition", "n2 cut off", 100 * ms),
           make_op(3, OpType::kInvoke, 0, "write", 2, 200 * ms),
           make_op(4, OpType::kOk, 0, "write", 2, 203 * ms),
           make_op(5, OpType::kInvoke, 1, "read", nullptr, 500 * ms),
           make_op(6, OpType::kOk, 1, "read", 1, 501 * ms),
           make_op(7, OpType::kInfo, kNemesisProcess, "stop-partition", nullptr, 1500 * ms),
           make_op(8, OpType::kInvoke, 0, "read", nullptr, 1600 * ms),
           make_op(9, OpType::kOk, 0, "read", 2, 1601 * ms),
           make_op(10, OpType::kInvoke, 1, "read", nullptr, 1600 * ms),
           make_op(11, OpType::kOk, 1, "read", 2, 1640 * ms)};
  h.ops[8].extra["final"] = true;
  h.ops[8].node = "n1";
  h.ops[10].extra["final"] = true;
  h.ops[10].node = "n2";
  return h;
}

TEST(CompareSeries, StaleReadsFaultsLatencyAvailabilityAndConvergenceOfAHistory) {
  boost::json::object s = compare_series(stale_history());
  EXPECT_EQ(s.at("faults").as_array().size(), 1u);
  EXPECT_EQ(s.at("faults").as_array()[0].at("kind"), "partition");
  EXPECT_EQ(s.at("last_heal_ms").to_number<double>(), 1500);
  const auto& st = s.at("staleness").as_object();
  EXPECT_EQ(st.at("reads").to_number<int>(), 1);
  EXPECT_EQ(st.at("stale_reads").to_number<int>(), 1);
  EXPECT_EQ(st.at("stale_in_faults").to_number<int>(), 1);
  EXPECT_EQ(st.at("max_versions").to_number<int>(), 1);
  // The read began at 500 ms; 2 was installed at 203 ms: 297 ms stale.
  EXPECT_EQ(st.at("points").at("t_ms").as_array()[0].to_number<double>(), 500);
  EXPECT_EQ(st.at("points").at("ms").as_array()[0].to_number<double>(), 297);
  EXPECT_EQ(st.at("ms_cdf").as_array().back().as_array()[1].to_number<double>(), 1);
  const auto& latency = s.at("latency").as_object();
  EXPECT_EQ(latency.at("by_f").at("write").at("count").to_number<int>(), 2);
  EXPECT_EQ(latency.at("by_f").at("read").at("count").to_number<int>(), 1)
      << "final reads left out";
  const auto& availability = s.at("availability").as_object();
  EXPECT_FALSE(availability.at("slots").as_array().empty());
  EXPECT_EQ(availability.at("slots").as_array().size(),
            availability.at("in_faults").as_array().size());
  const auto& convergence = s.at("convergence").as_object();
  EXPECT_EQ(convergence.at("keys").to_number<int>(), 1);
  EXPECT_EQ(convergence.at("converged").to_number<int>(), 1);
  EXPECT_EQ(convergence.at("ms").as_array()[0].to_number<double>(), 140);
}

TEST(CompareSeries, AHistoryWithoutWritesHasStalenessNotMeasured) {
  History h;
  h.ops = {make_op(0, OpType::kInvoke, 0, "add", 1, 1000),
           make_op(1, OpType::kOk, 0, "add", 1, 2000)};
  boost::json::object s = compare_series(h);
  EXPECT_TRUE(s.at("staleness").is_null());
  EXPECT_EQ(s.at("staleness_note"),
            "measured on register histories only; this one has no write or cas");
  EXPECT_TRUE(s.at("convergence").is_null());
  EXPECT_TRUE(s.at("convergence_note").is_string());
}

TEST(CompareSeries, CdfKeepsTheEndsAndStaysSmall) {
  std::vector<double> sample;
  for (int i = 0; i < 100000; ++i) sample.push_back(i % 1000 == 0 ? 5000.0 + i : i % 97);
  boost::json::array cdf = cdf_points(sample);
  EXPECT_LT(cdf.size(), 1200u);
  EXPECT_EQ(cdf.front().as_array()[0].to_number<double>(), 0);
  EXPECT_EQ(cdf.back().as_array()[0].to_number<double>(), 5000.0 + 99000);
  EXPECT_EQ(cdf.back().as_array()[1].to_number<double>(), 1);
}

TEST(ComparePage, LinksAreRelativeToThePageAndValuesStayText) {
  test::TempDir dir;
  fs::path store = dir.path() / "store";
  fs::path run = store / "redis-register" / "20261203T120000";
  fs::create_directories(run);
  test::write_file(run / "report.html", "<html></html>");
  fs::path other = store / "redis-register" / "20261203T120100";
  fs::create_directories(other);
  CompareRun a{"read-from=<script>alert(1)</script>",
               {{"valid", true}, {"run", run.string()}},
               run,
               compare_series(stale_history())};
  CompareRun b{"read-from=replica", {{"valid", false}}, other, compare_series(stale_history())};
  fs::path page = store / "compare" / "redis-register-20261203T120200.html";
  boost::json::object data = compare_page_data("redis <b>compare</b>", {a, b}, page.parent_path());
  const auto& modes = data.at("modes").as_array();
  EXPECT_EQ(modes[0].at("run"), "../redis-register/20261203T120000");
  EXPECT_EQ(modes[0].at("report"), "../redis-register/20261203T120000/report.html");
  EXPECT_TRUE(modes[1].at("report").is_null()) << "no report.html in that run";
  EXPECT_FALSE(modes[0].at("summary").as_object().contains("run")) << "no absolute path";
  EXPECT_EQ(data.at("schema"), "faultline.compare/1");

  fs::path json = write_compare_page(page, data);
  EXPECT_EQ(json, store / "compare" / "redis-register-20261203T120200.compare.json");
  EXPECT_EQ(boost::json::parse(test::read_file(json)).at("title"), "redis <b>compare</b>");
  std::string html = test::read_file(page);
  EXPECT_NE(html.find("href=\"../redis-register/20261203T120000/report.html\""), std::string::npos);
  EXPECT_NE(html.find("<a class=\"see\" href=\"#staleness-cdf\">"), std::string::npos);
  EXPECT_EQ(html.find("file://"), std::string::npos);
  EXPECT_EQ(html.find(dir.path().string()), std::string::npos) << "an absolute path on the page";
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(html.find("<b>compare"), std::string::npos);
  for (const char* plot : {"staleness-cdf", "staleness-time", "latency-cdf", "latency-time",
                           "availability-time", "convergence"})
    EXPECT_NE(html.find(std::string("<section id=\"") + plot + "\""), std::string::npos) << plot;

  // `faultline serve` lists it with its title and modes.
  auto pages = scan_compare_pages(store);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0].path, "compare/redis-register-20261203T120200.html");
  EXPECT_EQ(pages[0].title, "redis <b>compare</b>");
  EXPECT_EQ(pages[0].modes,
            (std::vector<std::string>{"read-from=<script>alert(1)</script>", "read-from=replica"}));
  std::string list = render_compare_list(pages);
  EXPECT_NE(list.find("href=\"/runs/compare/redis-register-20261203T120200.html\""),
            std::string::npos);
  EXPECT_EQ(list.find("<script>"), std::string::npos);
  EXPECT_EQ(list.find("<b>"), std::string::npos);
  EXPECT_TRUE(scan_compare_pages(dir.path() / "nowhere").empty());
}

}  // namespace
}  // namespace faultline
