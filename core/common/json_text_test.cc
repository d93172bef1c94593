#include "core/common/json_text.h"

#include <gtest/gtest.h>

namespace vxp {
namespace {

std::string ErrorOf(std::string_view text) {
  auto v = ParseJsonText(text);
  EXPECT_FALSE(v.has_value()) << text;
  if (v) return "";
  EXPECT_EQ(v.error().code, "json.syntax");
  return v.error().message;
}

TEST(ParseJsonText, ReadsJsonWithSpaceAround) {
  auto v = ParseJsonText("  {\"a\": [1, 2]}\n\n");
  ASSERT_TRUE(v.has_value()) << v.error().message;
  EXPECT_EQ(v->at("a").as_array().size(), 2u);
}

TEST(ParseJsonText, NamesTheLineAndColumnOfASyntaxError) {
  // A trailing comma: the parser stops at the closing bracket on line 3.
  EXPECT_EQ(ErrorOf("{\n  \"agencies\": [\"000.00.00.G22\",\n  ]\n}\n").substr(0, 18),
            "line 3, column 3: ");
  // A missing comma between members, after a Vietnamese value (columns count characters).
  EXPECT_EQ(ErrorOf("{\"tên\": \"Sở\"\n \"b\": 1}").substr(0, 18), "line 2, column 2: ");
}

TEST(ParseJsonText, SaysWhenTheTextEndsTooSoonOrGoesOnTooLong) {
  EXPECT_EQ(ErrorOf("{\n\"a\": 1\n"), "line 3, column 1: the text ends before the JSON does");
  EXPECT_EQ(ErrorOf("{\"a\": 1}\n}\n"), "line 2, column 1: more text after the JSON value");
  EXPECT_EQ(ErrorOf(""), "line 1, column 1: the text ends before the JSON does");
}

}  // namespace
}  // namespace vxp
