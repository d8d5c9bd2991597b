// The report's lanes carry the names a reader uses: a client's process by its number, the
// reads after the faults as "final <node>" (not as the internal process 2100000000).

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "reports/report_data.h"
#include "tests/reports/test_support.h"

namespace faultline {
namespace {

using test::make_op;

TEST(ReportLanes, FinalReadsAreNamedByTheirNode) {
  History h;
  h.source = "t.jsonl";
  h.ops = {make_op(0, OpType::kInvoke, 3, "write", 1, 1'000),
           make_op(1, OpType::kOk, 3, "write", 1, 2'000),
           make_op(2, OpType::kInvoke, 2'100'000'000, "read", nullptr, 3'000),
           make_op(3, OpType::kOk, 2'100'000'000, "read", 1, 4'000)};
  h.ops[0].node = "n1";
  h.ops[2].node = "n2";
  h.ops[2].extra["final"] = true;
  boost::json::object data = build_report_data(h, {}, {}, {});
  const auto& lanes = data["ops"].as_object()["lanes"].as_array();
  ASSERT_EQ(lanes.size(), 2u);
  EXPECT_EQ(lanes[0].at("label"), "p3");
  EXPECT_EQ(lanes[0].at("final"), false);
  EXPECT_EQ(lanes[1].at("label"), "final n2");
  EXPECT_EQ(lanes[1].at("final"), true);
  EXPECT_EQ(lanes[1].at("process"), 2'100'000'000);  // still there for the tooltip
}

}  // namespace
}  // namespace faultline
