// Escaping: every value from a history or a database reaches a page or an XML file inert.

#include "reports/escape.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "reports/columns.h"

namespace faultline {
namespace {

TEST(Escape, HtmlEscapesEveryMetacharacter) {
  EXPECT_EQ(html_escape("<a href=\"x\" title='y'>&</a>"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
}

TEST(Escape, ScriptJsonCannotCloseTheScriptElement) {
  boost::json::value v = {{"text", "</script><script>alert(1)</script><!-- & \xE2\x80\xA8"}};
  std::string json = script_safe_json(v);
  EXPECT_EQ(json.find('<'), std::string::npos) << json;
  EXPECT_EQ(json.find('>'), std::string::npos) << json;
  EXPECT_EQ(json.find("\xE2\x80\xA8"), std::string::npos) << json;
  EXPECT_EQ(boost::json::parse(json), v);  // still the same value
}

TEST(Escape, XmlKeepsUtf8AndReplacesWhatXmlCannotCarry) {
  EXPECT_EQ(xml_escape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
  EXPECT_EQ(xml_escape("é→"), "é→");
  EXPECT_EQ(xml_escape(std::string("x\x01y\xFFz", 5)), "x\xEF\xBF\xBDy\xEF\xBF\xBDz");
  EXPECT_EQ(xml_escape("line\nnext"), "line&#10;next");
}

TEST(Columns, RoundTripInTheNarrowestType) {
  std::vector<std::uint32_t> small{0, 1, 255}, medium{0, 256, 65535}, large{70000, 1};
  EXPECT_EQ(encode_uint_column(small).at("type"), "u8");
  EXPECT_EQ(encode_uint_column(medium).at("type"), "u16");
  EXPECT_EQ(encode_uint_column(large).at("type"), "u32");
  EXPECT_EQ(decode_column(encode_uint_column(medium)), (std::vector<double>{0, 256, 65535}));
  std::vector<double> times{0.5, 1e12, -3};
  EXPECT_EQ(decode_column(encode_f64_column(times)), times);
  for (std::size_t n = 0; n < 5; ++n) {  // every padding length
    std::vector<std::uint32_t> values(n, 200);
    EXPECT_EQ(decode_column(encode_uint_column(values)).size(), n);
  }
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
}

}  // namespace
}  // namespace faultline
