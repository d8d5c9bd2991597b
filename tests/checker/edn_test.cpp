// The EDN reader: every construct Jepsen histories use, and located errors.

#include "checker/history/edn.h"

#include <gtest/gtest.h>

#include <sstream>

namespace faultline {
namespace {

namespace json = boost::json;

json::value read_one(const std::string& text, std::string* tag = nullptr) {
  std::istringstream in(text);
  EdnReader edn(in, "mem.edn");
  json::value v = edn.read_form(tag);
  EXPECT_EQ(edn.peek(), EdnReader::kEnd) << "trailing input after " << text;
  return v;
}

// The InputError of reading `text` to its end.
InputError error_of(const std::string& text) {
  std::istringstream in(text);
  EdnReader edn(in, "mem.edn");
  try {
    while (edn.peek() != EdnReader::kEnd) edn.read_form();
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for: " << text;
  return InputError("", 0, 0, "");
}

TEST(Edn, Scalars) {
  EXPECT_TRUE(read_one("nil").is_null());
  EXPECT_EQ(read_one("true"), json::value(true));
  EXPECT_EQ(read_one("false"), json::value(false));
  EXPECT_EQ(read_one("42").as_int64(), 42);
  EXPECT_EQ(read_one("-7").as_int64(), -7);
  EXPECT_EQ(read_one("+7").as_int64(), 7);
  EXPECT_EQ(read_one("12N").as_int64(), 12);
  EXPECT_EQ(read_one("-9223372036854775808").as_int64(), INT64_MIN);
  EXPECT_EQ(read_one("18446744073709551615").as_uint64(), UINT64_MAX);
  EXPECT_DOUBLE_EQ(read_one("1.5").as_double(), 1.5);
  EXPECT_DOUBLE_EQ(read_one("-2.5e3").as_double(), -2500.0);
  EXPECT_DOUBLE_EQ(read_one("1E-2").as_double(), 0.01);
  EXPECT_DOUBLE_EQ(read_one("3.25M").as_double(), 3.25);
  EXPECT_DOUBLE_EQ(read_one("1/4").as_double(), 0.25);
  EXPECT_EQ(read_one(":invoke").as_string(), "invoke");
  EXPECT_EQ(read_one(":jepsen.nemesis/partition").as_string(), "jepsen.nemesis/partition");
  EXPECT_EQ(read_one("some-symbol?").as_string(), "some-symbol?");
  EXPECT_EQ(read_one("\\a").as_string(), "a");
  EXPECT_EQ(read_one("\\newline").as_string(), "\n");
  EXPECT_EQ(read_one("\\u00e9").as_string(), "\xc3\xa9");
}

TEST(Edn, StringEscapes) {
  EXPECT_EQ(read_one(R"("a\"b\\c\n\t\r")").as_string(), "a\"b\\c\n\t\r");
  EXPECT_EQ(read_one(R"("\u00e9\u20ac")").as_string(), "\xc3\xa9\xe2\x82\xac");
  EXPECT_EQ(read_one(R"("\ud83d\ude00")").as_string(), "\xf0\x9f\x98\x80");
  EXPECT_EQ(read_one("\"two\nlines\"").as_string(), "two\nlines");
}

TEST(Edn, CollectionsBecomeArraysAndObjects) {
  EXPECT_EQ(read_one("[1 2 3]"), json::parse("[1,2,3]"));
  EXPECT_EQ(read_one("(1 (2))"), json::parse("[1,[2]]"));
  EXPECT_EQ(read_one("#{:a :b}"), json::parse(R"(["a","b"])"));
  EXPECT_EQ(read_one("[]"), json::parse("[]"));
  EXPECT_EQ(read_one("{}"), json::parse("{}"));
  EXPECT_EQ(read_one("{:a {:b [1 {:c nil}]}}"), json::parse(R"({"a":{"b":[1,{"c":null}]}})"));
}

TEST(Edn, MapKeys) {
  // Keywords and strings by name, anything else by its EDN text.
  json::value v = read_one(R"({:k 1, "s" 2, 3 3, [1 2] 4, nil 5, sym 6})");
  EXPECT_EQ(v, json::parse(R"({"k":1,"s":2,"3":3,"[1 2]":4,"nil":5,"sym":6})"));
  EXPECT_NE(error_of("{:a 1 \"a\" 2}").problem().find("duplicate map key"), std::string::npos);
}

TEST(Edn, CommentsCommasAndDiscard) {
  EXPECT_EQ(read_one("; leading\n[1, 2,,, ; inside\n 3]"), json::parse("[1,2,3]"));
  EXPECT_EQ(read_one("[1 #_2 3 #_ #_ 4 5 6]"), json::parse("[1,3,6]"));
  EXPECT_EQ(read_one("{:a 1 #_:b #_2 :c 3}"), json::parse(R"({"a":1,"c":3})"));
  EXPECT_EQ(read_one("#_[discarded [nested]] :kept"), json::value("kept"));
}

TEST(Edn, TaggedLiterals) {
  std::string tag;
  json::value v = read_one("#jepsen.independent.Tuple{:key 1 :value [2 3]}", &tag);
  EXPECT_EQ(tag, "jepsen.independent.Tuple");
  EXPECT_EQ(v, json::parse(R"({"key":1,"value":[2,3]})"));
  EXPECT_EQ(read_one(R"(#inst "2024-01-02T03:04:05Z")", &tag).as_string(), "2024-01-02T03:04:05Z");
  EXPECT_EQ(tag, "inst");
  read_one("[#my/tag 1]", &tag);
  EXPECT_EQ(tag, "");  // only the outermost form's tag is reported
}

TEST(Edn, StreamsOneFormAtATime) {
  std::istringstream in("[1 2]\n{:a 1}\n:k");
  EdnReader edn(in, "mem.edn");
  EXPECT_EQ(edn.peek(), '[');
  edn.consume();
  EXPECT_EQ(edn.read_form().as_int64(), 1);
  EXPECT_EQ(edn.read_form().as_int64(), 2);
  EXPECT_EQ(edn.peek(), ']');
  edn.consume();
  EXPECT_TRUE(edn.read_form().is_object());
  EXPECT_EQ(edn.position().line, 2u);
  EXPECT_EQ(edn.read_form().as_string(), "k");
  EXPECT_EQ(edn.peek(), EdnReader::kEnd);
}

TEST(Edn, ErrorsNameLineAndColumn) {
  InputError e = error_of("[1 2\n 3");
  EXPECT_EQ(e.line(), 2u);
  EXPECT_EQ(e.column(), 3u);  // at the end of input
  EXPECT_NE(e.problem().find("vector opened at line 1 column 1"), std::string::npos);

  e = error_of("{:a 1\n :b ]}");
  EXPECT_EQ(e.line(), 2u);
  EXPECT_EQ(e.column(), 5u);
  EXPECT_NE(e.problem().find("unexpected ']'"), std::string::npos);

  e = error_of("[\"abc");
  EXPECT_EQ(e.line(), 1u);
  EXPECT_NE(e.problem().find("string"), std::string::npos);

  e = error_of("\n\n  {:a}");
  EXPECT_EQ(e.line(), 3u);
  EXPECT_NE(e.problem().find("has no value"), std::string::npos);

  e = error_of("[1 12x]");
  EXPECT_EQ(e.column(), 4u);
  EXPECT_NE(e.problem().find("invalid number"), std::string::npos);

  EXPECT_EQ(error_of("99999999999999999999").problem().substr(0, 24), "integer out of range: 99");
  EXPECT_NE(error_of("##Inf").problem().find("JSON"), std::string::npos);
  EXPECT_NE(error_of("1e999").problem().find("out of range"), std::string::npos);
  EXPECT_NE(error_of(R"("\q")").problem().find("escape"), std::string::npos);
  EXPECT_NE(error_of(R"("\ud800")").problem().find("surrogate"), std::string::npos);
  EXPECT_NE(error_of("\"\xff\"").problem().find("UTF-8"), std::string::npos);
  EXPECT_NE(error_of("#{1 2").problem().find("set"), std::string::npos);
  EXPECT_NE(error_of("#:ns{:a 1}").problem().find("namespaced"), std::string::npos);
  EXPECT_NE(error_of("::auto").problem().find("keyword"), std::string::npos);
  EXPECT_NE(error_of("#_").problem().find("end of input"), std::string::npos);
  EXPECT_EQ(std::string(error_of("x\n)").what()), "mem.edn:2:1: unexpected ')'");
}

TEST(Edn, DeepNestingIsRefusedNotACrash) {
  for (const char* open : {"[", "(", "{:a ", "#{", "#_", "#t "}) {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += open;
    InputError e = error_of(text);
    EXPECT_NE(e.problem().find("nesting deeper than 512"), std::string::npos) << open;
  }
  std::string ok(500, '[');
  ok += std::string(500, ']');
  EXPECT_TRUE(read_one(ok).is_array());
}

TEST(Edn, ToEdnText) {
  EXPECT_EQ(to_edn_text(json::parse(R"([1,"a",null,true,{"k":[2]}])")),
            R"([1 "a" nil true {:k [2]}])");
}

}  // namespace
}  // namespace faultline
