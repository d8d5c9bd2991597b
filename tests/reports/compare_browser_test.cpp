// The compare page as a person sees it, of a real `faultline compare` (Redis, primary versus
// replica reads, partitions, 10 s per mode) on a local cluster of its own: rendered by headless
// Chromium from a copy of the store elsewhere, with no console message and no request, every
// plot drawn, plain answers linked to their plots, links that lead to the copied runs, and
// the page listed and served by `faultline serve`. The screenshot is kept in the build's
// tests/artifacts/compare-real-run.png. Needs chromium, root (namespaces) and redis-server.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <regex>
#include <set>

#include "tests/reports/browser_support.h"
#include "tests/reports/chromium.h"
#include "tests/reports/test_support.h"
#include "tests/support/local_cluster.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The text of the element with id `id` in `dom` (up to its closing </section>).
std::string section_of(const std::string& dom, const std::string& id) {
  auto at = dom.find("<section id=\"" + id + "\"");
  if (at == std::string::npos) return "";
  return dom.substr(at, dom.find("</section>", at) - at);
}

// The data-marks counts of the plots in `html`.
std::vector<long> marks_in(const std::string& html) {
  std::vector<long> out;
  static const std::regex marks("data-marks=\"([0-9]+)\"");
  for (std::sregex_iterator it(html.begin(), html.end(), marks), end; it != end; ++it)
    out.push_back(std::stol((*it)[1]));
  return out;
}

// `link` with its %XX escapes decoded (the page percent-encodes its hrefs).
std::string decoded(const std::string& link) {
  std::string out;
  for (std::size_t i = 0; i < link.size(); ++i) {
    if (link[i] == '%' && i + 2 < link.size()) {
      out += static_cast<char>(std::stoi(link.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += link[i];
    }
  }
  return out;
}

class CompareOnLocalCluster : public testing::LocalClusterTest {
 protected:
  void SetUp() override { start_cluster("fl-cmpp", 3); }
};

TEST_F(CompareOnLocalCluster, PageOfARedisCompareShowsEveryPlotAndAnswerFromACopiedStore) {
  REQUIRE_CHROMIUM(chromium);
  auto r = testing::run({FAULTLINE_BINARY,
                         "compare",
                         "--cluster",
                         cluster_,
                         "--store",
                         store_.string(),
                         "--db",
                         "redis",
                         "--modes",
                         "read-from=primary,read-from=replica",
                         "--workload",
                         "register",
                         "--nemesis",
                         "partition",
                         "--nemesis-interval",
                         "2",
                         "--time-limit",
                         "10",
                         "--rate",
                         "500",
                         "--seed",
                         "7"},
                        200s);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("report: (.*/compare/[^/\n]+\\.html)\n")))
      << r.out;
  fs::path page(m[1].str());
  ASSERT_NE(r.out.find("data: " + (page.parent_path() / page.stem()).string() + ".compare.json"),
            std::string::npos)
      << r.out;

  // The store moves elsewhere (as when mailed or archived by CI); the original is gone.
  test::TempDir moved;
  fs::path copy = moved.path() / "store";
  fs::copy(store_, copy, fs::copy_options::recursive);
  fs::remove_all(store_);
  fs::path moved_page = copy / "compare" / page.filename();
  ASSERT_TRUE(fs::exists(moved_page));

  fs::path shot = fs::path(FAULTLINE_ARTIFACTS_DIR) / "compare-real-run.png";
  fs::remove(shot);
  test::PageLoad load =
      test::load_page(chromium, "file://" + moved_page.string(), shot, 1280, 4300);
  test::expect_clean_load(load);
  ASSERT_TRUE(fs::exists(shot));
  EXPECT_GT(fs::file_size(shot), 50'000u);
  std::cout << "screenshot of the real compare page: " << shot.string() << "\n";
  EXPECT_EQ(load.dom.find("<p class=\"error-box\">"), std::string::npos)
      << "a section failed to draw";

  // Every plot is drawn, and not empty: staleness in ms and versions, stale reads over time,
  // latency per op type and over time, availability over time, convergence.
  for (const char* id : {"staleness-cdf", "staleness-time", "latency-cdf", "latency-time",
                         "availability-time", "convergence"}) {
    std::string s = section_of(load.dom, id);
    ASSERT_FALSE(s.empty()) << id;
    std::vector<long> marks = marks_in(s);
    ASSERT_FALSE(marks.empty()) << "no plot in " << id;
    EXPECT_GT(*std::max_element(marks.begin(), marks.end()), 0) << "nothing drawn in " << id;
  }
  EXPECT_EQ(marks_in(section_of(load.dom, "staleness-cdf")).size(), 2u) << "ms and versions";
  EXPECT_EQ(marks_in(section_of(load.dom, "availability-time")).size(), 2u) << "one panel per mode";
  for (const char* id : {"staleness-time", "latency-time", "availability-time"}) {
    EXPECT_NE(section_of(load.dom, id).find("<title>partition"), std::string::npos)
        << "no shaded partition in " << id;
  }
  // Replica reads under partitions drew stale points; primary reads none.
  std::vector<long> stale_points = marks_in(section_of(load.dom, "staleness-time"));
  ASSERT_EQ(stale_points.size(), 2u);
  EXPECT_EQ(stale_points[0], 0);
  EXPECT_GT(stale_points[1], 0);

  // Plain answers, each linking the plot it is read from; every figure was measured.
  std::string answers = section_of(load.dom, "answers");
  EXPECT_NE(answers.find("With read-from=primary, no read was stale"), std::string::npos)
      << answers;
  EXPECT_TRUE(
      std::regex_search(answers, std::regex("With read-from=replica, [0-9.]+% of reads were "
                                            "stale \\([0-9]+ of [0-9]+\\); the worst was")))
      << answers;
  EXPECT_NE(answers.find("href=\"#staleness-time\""), std::string::npos);
  EXPECT_NE(answers.find("href=\"#convergence\""), std::string::npos);
  EXPECT_EQ(answers.find("not measured"), std::string::npos) << answers;

  // Every link on the page is relative and leads into the copied store.
  static const std::regex href("href=\"([^\"#][^\"]*)\"");
  std::set<std::string> links;
  for (std::sregex_iterator it(load.dom.begin(), load.dom.end(), href), end; it != end; ++it)
    links.insert((*it)[1]);
  EXPECT_EQ(links.size(), 4u) << "a report and a run directory per mode";
  for (const auto& link : links) {
    EXPECT_EQ(link.find(':'), std::string::npos) << link;
    fs::path target = fs::weakly_canonical(moved_page.parent_path() / decoded(link));
    EXPECT_TRUE(fs::exists(target)) << link;
    EXPECT_EQ(target.string().rfind(fs::canonical(copy).string(), 0), 0u) << link;
  }

  // `faultline serve` on the copy lists the page, serves it, and the run links resolve there.
  test::ServeProcess serve(copy);
  ASSERT_GT(serve.port(), 0) << "serve printed no address";
  std::string base = "http://127.0.0.1:" + std::to_string(serve.port());
  test::PageLoad index = test::load_page(chromium, base + "/", std::nullopt, 1280, 800, false);
  test::expect_clean_load(index);
  std::string listed = "href=\"/runs/compare/" + page.filename().string() + "\"";
  EXPECT_NE(index.dom.find(listed), std::string::npos) << index.dom.substr(0, 4000);
  EXPECT_NE(index.dom.find("read-from=primary, read-from=replica"), std::string::npos);
  test::PageLoad served = test::load_page(
      chromium, base + "/runs/compare/" + page.filename().string(), std::nullopt, 1280, 800, false);
  test::expect_clean_load(served);
  std::string report_link = *std::find_if(links.begin(), links.end(), [](const std::string& l) {
    return l.size() > 12 && l.compare(l.size() - 12, 12, "/report.html") == 0;
  });
  test::PageLoad report = test::load_page(chromium, base + "/runs/compare/" + report_link,
                                          std::nullopt, 1280, 800, false);
  EXPECT_EQ(report.exit_code, 0);
  EXPECT_NE(report.dom.find("data-verdict=\""), std::string::npos)
      << "the run's report through serve";
  EXPECT_EQ(serve.stop(), 0);
}

}  // namespace
}  // namespace faultline
