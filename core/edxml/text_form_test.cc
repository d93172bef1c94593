#include "core/edxml/text_form.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/edxml/validate.h"

namespace vxp::edxml {
namespace {

using ::testing::HasSubstr;

// "Về" precomposed (U+1EC1) and decomposed (e U+0302 U+0300).
constexpr std::string_view kNfc =
    "V\xE1\xBB\x81 vi\xE1\xBB\x87"
    "c";
constexpr std::string_view kNfd =
    "Ve\xCC\x82\xCC\x80 vie\xCC\xA3\xCC\x82"
    "c";

TEST(FirstNonNfc, FindsTheFirstDecomposedLetter) {
  EXPECT_EQ(FirstNonNfc("plain ASCII"), std::string_view::npos);
  EXPECT_EQ(FirstNonNfc(kNfc), std::string_view::npos);
  EXPECT_EQ(FirstNonNfc(kNfd), 1u);  // the 'e' that the marks after it compose with
  EXPECT_EQ(FirstNonNfc(std::string("Công văn ") + std::string(kNfd)), 12u);  // bytes
  // A combining mark with nothing to compose with is NFC (nothing would change).
  EXPECT_EQ(FirstNonNfc("x\xCC\x9B"), std::string_view::npos);
  EXPECT_EQ(FirstNonNfc("\xC3\x28"), std::string_view::npos);  // not UTF-8: another rule's
}

std::string Package(std::string_view subject) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><r><Subject>" + std::string(subject) +
         "</Subject><b a=\"" + std::string(kNfd) + "\"/></r>";
}

TEST(CheckTextForm, WarnsOncePerTextNamingTheElementAndTheCharacters) {
  auto doc = LoadXml(Package(kNfd), {});
  ASSERT_TRUE(doc);
  auto findings = CheckTextForm(*doc);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].rule_id, "EDXML-TEXT-NFC");
  EXPECT_EQ(findings[0].verdict, Verdict::kWarn);
  EXPECT_EQ(findings[0].location.path, "/r/Subject");
  EXPECT_THAT(findings[0].message, HasSubstr("the text is in decomposed Unicode (NFD)"));
  EXPECT_THAT(findings[0].message, HasSubstr("written as e U+0302 U+0300"));
  EXPECT_EQ(findings[0].actual, "decomposed: e U+0302 U+0300");
  EXPECT_EQ(findings[0].expected, "precomposed text (NFC): \xE1\xBB\x81");
  EXPECT_EQ(findings[1].location.path, "/r/b");
  EXPECT_THAT(findings[1].message, HasSubstr("the attribute a is in decomposed Unicode"));
  auto clean = LoadXml("<r><Subject>" + std::string(kNfc) + "</Subject></r>", {});
  ASSERT_TRUE(clean);
  EXPECT_TRUE(CheckTextForm(*clean).empty());
}

TEST(CheckTextForm, IsPartOfEveryJudgementAndItsRuleIsListed) {
  bool listed = false;
  for (const RuleInfo& r : AllRules()) listed = listed || r.id == "EDXML-TEXT-NFC";
  EXPECT_TRUE(listed);
}

}  // namespace
}  // namespace vxp::edxml
