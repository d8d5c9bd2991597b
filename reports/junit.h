#pragma once
// JUnit XML for CI: one <testsuite>, one <testcase> per checker (for a partitioned
// checker: one per invalid or unknown partition, plus one for all its valid ones).
// An invalid verdict is a <failure message="..."> whose body is the explanation; an
// unknown one is an <error type="unknown"> (undecided is not a pass). Every text is
// XML-escaped.

#include <boost/json/object.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace faultline {

// One <testcase>: verdict "valid" passes, "invalid" is a <failure>, anything else an <error>
// of that type; `message` is one line, `body` the whole text.
struct JunitCase {
  std::string classname, name, verdict, message, body;
};

// One <testsuite> named `suite` of `cases`, its property "verdict" = `verdict`.
std::string render_junit_cases(const std::vector<JunitCase>& cases, const std::string& suite,
                               const std::string& verdict);

// `suite` names the test suite (e.g. the history file or the test's name).
std::string render_junit(const boost::json::object& results, const std::string& suite);

// Writes render_junit() to `path`; throws std::runtime_error naming it on failure.
void write_junit(const boost::json::object& results, const std::string& suite,
                 const std::filesystem::path& path);

}  // namespace faultline
