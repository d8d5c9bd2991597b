// JUnit output: the shape CI tools read (testsuites/testsuite/testcase/failure), with
// every message escaped, and verdicts read from results documents of every shape.

#include "reports/junit.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <sstream>

#include "reports/verdicts.h"

namespace faultline {
namespace {

namespace pt = boost::property_tree;

pt::ptree parse_xml(const std::string& xml) {
  std::istringstream in(xml);
  pt::ptree tree;
  pt::read_xml(in, tree);  // throws on malformed XML
  return tree;
}

boost::json::object lin_results() {
  return boost::json::parse(R"({
    "schema": "faultline.results/1", "checker": "linearizability", "model": "cas-register",
    "verdict": "invalid",
    "partitions": [
      {"key": 1, "verdict": "valid"},
      {"key": 2, "verdict": "invalid", "explanation": {"text": "read 3 <but> the register holds \"4\" & more\nline two"}},
      {"key": "k<3>", "verdict": "unknown", "reason": "time"},
      {"key": 4, "verdict": "valid"}]})")
      .as_object();
}

TEST(Junit, OneTestCasePerNotValidPartitionAndOneForTheValidOnes) {
  pt::ptree tree = parse_xml(render_junit(lin_results(), "etcd <run>"));
  const pt::ptree& suite = tree.get_child("testsuites.testsuite");
  EXPECT_EQ(suite.get<std::string>("<xmlattr>.name"), "etcd <run>");
  EXPECT_EQ(suite.get<int>("<xmlattr>.tests"), 3);
  EXPECT_EQ(suite.get<int>("<xmlattr>.failures"), 1);
  EXPECT_EQ(suite.get<int>("<xmlattr>.errors"), 1);
  std::vector<const pt::ptree*> cases;
  for (const auto& [name, child] : suite) {
    if (name == "testcase") cases.push_back(&child);
  }
  ASSERT_EQ(cases.size(), 3u);
  EXPECT_EQ(cases[0]->get<std::string>("<xmlattr>.classname"),
            "faultline.linearizability (cas-register)");
  EXPECT_EQ(cases[0]->get<std::string>("<xmlattr>.name"), "key 2");
  EXPECT_EQ(cases[0]->get<std::string>("failure.<xmlattr>.message"),
            "read 3 <but> the register holds \"4\" & more");
  EXPECT_EQ(cases[0]->get<std::string>("failure"),
            "read 3 <but> the register holds \"4\" & more\nline two");
  EXPECT_EQ(cases[1]->get<std::string>("<xmlattr>.name"), "key \"k<3>\"");
  EXPECT_EQ(cases[1]->get<std::string>("error.<xmlattr>.type"), "unknown");
  EXPECT_EQ(cases[2]->get<std::string>("<xmlattr>.name"), "2 valid partitions");
  EXPECT_FALSE(cases[2]->get_child_optional("failure"));
}

TEST(Junit, SeveralCheckersAndNoResults) {
  boost::json::object results = boost::json::parse(R"({"checkers": {
      "set": {"checker": "set", "verdict": "invalid", "summary": "2 lost"},
      "bank": {"checker": "bank", "valid": true}}})")
                                    .as_object();
  EXPECT_EQ(overall_verdict(results), "invalid");
  pt::ptree tree = parse_xml(render_junit(results, "s"));
  EXPECT_EQ(tree.get<int>("testsuites.<xmlattr>.tests"), 2);
  EXPECT_EQ(tree.get<int>("testsuites.<xmlattr>.failures"), 1);

  pt::ptree empty = parse_xml(render_junit({}, "s"));
  EXPECT_EQ(empty.get<int>("testsuites.testsuite.<xmlattr>.errors"), 1);
}

TEST(Verdicts, JepsenStyleValidFlags) {
  EXPECT_EQ(verdict_of(boost::json::parse(R"({"valid": false})").as_object()), "invalid");
  EXPECT_EQ(verdict_of(boost::json::parse(R"({"valid": "unknown"})").as_object()), "unknown");
  EXPECT_EQ(overall_verdict(
                boost::json::parse(R"({"checkers": [{"valid": true}, {"verdict": "unknown"}]})")
                    .as_object()),
            "unknown");
  auto checkers = checker_verdicts(lin_results());
  ASSERT_EQ(checkers.size(), 1u);
  EXPECT_EQ(checkers[0].partitions_total, 4u);
  EXPECT_EQ(checkers[0].not_valid.size(), 2u);
  EXPECT_EQ(checkers[0].not_valid[1].message, "unknown: time");
}

}  // namespace
}  // namespace faultline
