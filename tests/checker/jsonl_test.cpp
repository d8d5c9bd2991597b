#include "checker/history/jsonl.h"

#include <gtest/gtest.h>

#include <sstream>

#include "checker/history/pairing.h"

namespace faultline {
namespace {

History parse(const std::string& text) {
  std::istringstream in(text);
  return read_history(in, "mem.jsonl", HistoryFormat::kJsonl);
}

TEST(Jsonl, ReadsFieldsAndKeepsExtras) {
  History h = parse(
      R"({"type":"invoke","process":0,"f":"write","value":3,"time":10,"key":"k","custom":[1,2]})"
      "\n\n"
      R"({"type":"ok","process":0,"f":"write","value":3,"time":20,"node":"n1"})"
      "\n"
      R"({"type":"info","process":"nemesis","f":"start-partition","value":"halves"})"
      "\n");
  ASSERT_EQ(h.ops.size(), 3u);
  EXPECT_EQ(h.ops[0].index, 0);
  EXPECT_EQ(h.ops[0].f, "write");
  EXPECT_EQ(h.ops[0].value.as_int64(), 3);
  EXPECT_EQ(h.ops[0].key->as_string(), "k");
  EXPECT_EQ(h.ops[0].extra.at("custom").as_array().size(), 2u);
  EXPECT_EQ(h.ops[1].line, 3u);
  EXPECT_EQ(*h.ops[1].node, "n1");
  EXPECT_TRUE(h.ops[2].is_nemesis());
}

TEST(Jsonl, WriteThenReadIsIdentical) {
  History h = parse(R"({"type":"invoke","process":1,"f":"cas","value":[1,2],"x":{"y":null}})"
                    "\n"
                    R"({"type":"fail","process":1,"f":"cas","value":[1,2],"error":"mismatch"})"
                    "\n");
  std::ostringstream first;
  write_jsonl(h, first);
  std::ostringstream second;
  write_jsonl(parse(first.str()), second);
  EXPECT_EQ(first.str(), second.str());
}

TEST(Jsonl, MalformedLineNamesLineAndColumn) {
  try {
    parse(
        "{\"type\":\"invoke\",\"process\":0,\"f\":\"read\"}\n{\"type\":\"ok\",\"process\":0,,}\n");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 2u);
    EXPECT_GT(e.column(), 1u);
    EXPECT_NE(std::string(e.what()).find("mem.jsonl:2:"), std::string::npos);
  }
}

TEST(Jsonl, MissingTypeIsAnError) {
  EXPECT_THROW(parse("{\"process\":0,\"f\":\"read\"}\n"), InputError);
  EXPECT_THROW(parse("{\"type\":\"maybe\",\"process\":0,\"f\":\"read\"}\n"), InputError);
  EXPECT_THROW(parse("[1,2]\n"), InputError);
}

TEST(Pairing, JepsenRules) {
  History h = parse(R"({"type":"invoke","process":0,"f":"write","value":1})"
                    "\n"
                    R"({"type":"invoke","process":1,"f":"read"})"
                    "\n"
                    R"({"type":"info","process":0,"f":"write","value":1})"
                    "\n"
                    R"({"type":"fail","process":1,"f":"read"})"
                    "\n"
                    R"({"type":"invoke","process":2,"f":"read"})"
                    "\n");
  PairedHistory p = pair_operations(h);
  ASSERT_EQ(p.ops.size(), 3u);
  EXPECT_EQ(p.ops[0].outcome, OpType::kInfo);
  EXPECT_EQ(*p.ops[0].completion, 2u);
  EXPECT_EQ(p.ops[1].outcome, OpType::kFail);
  EXPECT_EQ(p.ops[2].outcome, OpType::kInfo);  // never completed: unknown
  EXPECT_FALSE(p.ops[2].completion.has_value());
}

TEST(Pairing, DoubleInvokeIsAnErrorNamingTheLine) {
  History h = parse(R"({"type":"invoke","process":0,"f":"write","value":1})"
                    "\n"
                    R"({"type":"invoke","process":0,"f":"read"})"
                    "\n");
  try {
    pair_operations(h);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 2u);
  }
}

}  // namespace
}  // namespace faultline
