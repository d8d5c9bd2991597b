#include "reports/junit.h"

#include <fstream>
#include <stdexcept>
#include <vector>

#include "reports/escape.h"
#include "reports/verdicts.h"

namespace faultline {
namespace {

// The first line of `text`, at most 300 bytes: JUnit viewers show `message` on one line.
std::string headline(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > 300) line = line.substr(0, 300) + "...";
  return line;
}

std::vector<JunitCase> test_cases(const boost::json::object& results) {
  std::vector<JunitCase> cases;
  for (const CheckerVerdict& c : checker_verdicts(results)) {
    std::string classname = "faultline." + c.name;
    if (c.partitions_total == 0) {
      cases.push_back({classname, c.name, c.verdict, headline(c.message), c.message});
      continue;
    }
    for (const PartitionVerdict& p : c.not_valid) {
      std::string name = p.key.empty() ? c.name : "key " + p.key;
      std::string message = p.message.empty() ? p.verdict : p.message;
      cases.push_back({classname, name, p.verdict, headline(message), message});
    }
    std::size_t valid = c.partitions_total - c.not_valid.size();
    if (valid > 0) {
      cases.push_back({classname,
                       std::to_string(valid) + " valid partition" + (valid == 1 ? "" : "s"),
                       "valid", "", ""});
    }
  }
  return cases;
}

}  // namespace

std::string render_junit(const boost::json::object& results, const std::string& suite) {
  std::vector<JunitCase> cases = test_cases(results);
  if (cases.empty()) {
    cases.push_back({"faultline", "results", "unknown", "no results: nothing was checked", ""});
  }
  return render_junit_cases(cases, suite, overall_verdict(results));
}

std::string render_junit_cases(const std::vector<JunitCase>& cases, const std::string& suite,
                               const std::string& verdict) {
  std::size_t failures = 0, errors = 0;
  for (const auto& c : cases) {
    failures += c.verdict == "invalid";
    errors += c.verdict != "invalid" && c.verdict != "valid";
  }
  auto counts = "tests=\"" + std::to_string(cases.size()) + "\" failures=\"" +
                std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
                "\" skipped=\"0\"";
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"faultline\" " + counts + ">\n";
  out += "  <testsuite name=\"" + xml_escape(suite) + "\" " + counts + ">\n";
  out += "    <properties><property name=\"verdict\" value=\"" + xml_escape(verdict) +
         "\"/></properties>\n";
  for (const auto& c : cases) {
    out += "    <testcase classname=\"" + xml_escape(c.classname) + "\" name=\"" +
           xml_escape(c.name) + "\"";
    if (c.verdict == "valid") {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    const char* tag = c.verdict == "invalid" ? "failure" : "error";
    out += std::string("      <") + tag + " message=\"" + xml_escape(c.message) + "\" type=\"" +
           xml_escape(c.verdict) + "\">" + xml_escape(c.body) + "</" + tag + ">\n";
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

void write_junit(const boost::json::object& results, const std::string& suite,
                 const std::filesystem::path& path) {
  std::string xml = render_junit(results, suite);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  out << xml;
  out.close();
  if (!out) throw std::runtime_error("writing " + path.string() + " failed");
}

}  // namespace faultline
