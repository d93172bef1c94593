#include "core/agency/agency_id.h"

#include <gtest/gtest.h>

namespace vxp::agency {
namespace {

TEST(AgencyIdTest, ParsesProvinceAndLowerLevels) {
  auto province = ParseStrict("000.00.00.H53");
  ASSERT_TRUE(province);
  EXPECT_EQ(province->group, 'H');
  EXPECT_EQ(province->level1, 53);
  EXPECT_EQ(province->depth, 1);
  EXPECT_FALSE(province->has_gap);

  auto unit = ParseStrict("000.12.31.H53");
  ASSERT_TRUE(unit);
  EXPECT_EQ(unit->level2, 31);
  EXPECT_EQ(unit->level3, 12);
  EXPECT_EQ(unit->depth, 3);
  EXPECT_FALSE(unit->has_gap);
  EXPECT_EQ(unit->ToString(), "000.12.31.H53");
  EXPECT_EQ(GroupName(unit->group), "provinces and centrally run cities");
  EXPECT_EQ(GroupName('G'), "ministries and government bodies");
}

TEST(AgencyIdTest, RejectsLegacyAndMalformedForms) {
  for (const char* bad :
       {"28.22.H17", "01.K36", "000.1137.H53", "001.00.20.TT2", "vxp.saas.03", "000.00.00.h53",
        "000.00.00.H5", "000.00.00.H533", "000-00-00-H53", "A00.00.00.H53", ""}) {
    EXPECT_FALSE(ParseStrict(bad)) << bad;
  }
}

TEST(AgencyIdTest, GapIsDetected) {
  auto id = ParseStrict("000.12.00.H53");
  ASSERT_TRUE(id);
  EXPECT_TRUE(id->has_gap);
  auto deep = ParseStrict("001.00.05.H53");
  ASSERT_TRUE(deep);
  EXPECT_TRUE(deep->has_gap);
  EXPECT_EQ(deep->depth, 4);
}

TEST(AgencyIdCheckTest, ConformingIdentifierHasNoFindings) {
  EXPECT_TRUE(Check("000.00.00.G22", {"/x", 3}, Strictness::kStrict).empty());
}

TEST(AgencyIdCheckTest, LegacyFormFailsStrictAndWarnsLenient) {
  auto strict = Check("28.22.H17", {"/x", 3}, Strictness::kStrict);
  ASSERT_EQ(strict.size(), 1u);
  EXPECT_EQ(strict[0].rule_id, "AGENCY-5-FORMAT");
  EXPECT_EQ(strict[0].verdict, Verdict::kFail);
  EXPECT_EQ(strict[0].location.line, 3);
  EXPECT_NE(strict[0].message.find("28.22.H17"), std::string::npos);

  auto lenient = Check("28.22.H17", {"/x", 3}, Strictness::kLenient);
  ASSERT_EQ(lenient.size(), 1u);
  EXPECT_EQ(lenient[0].rule_id, "AGENCY-5-FORMAT");
  EXPECT_EQ(lenient[0].verdict, Verdict::kWarn);
}

TEST(AgencyIdCheckTest, EmptyFailsEvenWhenLenient) {
  auto f = Check("", {"/x", 0}, Strictness::kLenient);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule_id, "AGENCY-5-EMPTY");
  EXPECT_EQ(f[0].verdict, Verdict::kFail);
}

TEST(AgencyIdCheckTest, GapWarns) {
  auto f = Check("000.12.00.H53", {"/x", 0}, Strictness::kStrict);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule_id, "AGENCY-5-GAP");
  EXPECT_EQ(f[0].verdict, Verdict::kWarn);
}

}  // namespace
}  // namespace vxp::agency
