#include "core/common/datetime.h"

#include <gtest/gtest.h>

#include "core/common/finding.h"

namespace vxp {
namespace {

TEST(DateTest, ParsesRealDates) {
  auto d = ParseEdxmlDate("2015/09/30");
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, (Date{2015, 9, 30}));
  EXPECT_TRUE(ParseEdxmlDate("2024/02/29"));
  EXPECT_EQ(FormatEdxmlDate(*d), "2015/09/30");
}

TEST(DateTest, RejectsOtherForms) {
  for (const char* bad : {"2015-09-30", "30/09/2015", "2015/9/30", "2015/02/30", "2023/02/29",
                          "2015/13/01", "2015/09/30 ", "", "abcd/ef/gh", "1800/01/01"}) {
    EXPECT_FALSE(ParseEdxmlDate(bad)) << bad;
  }
}

TEST(DateTest, Timestamps) {
  auto t = ParseEdxmlTimestamp("2026/11/21 08:51:33");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->hour, 8);
  EXPECT_EQ(FormatEdxmlTimestamp(*t), "2026/11/21 08:51:33");
  EXPECT_FALSE(ParseEdxmlTimestamp("2026/11/21 24:00:00"));
  EXPECT_FALSE(ParseEdxmlTimestamp("2026/11/21T08:51:33"));
  EXPECT_FALSE(ParseEdxmlTimestamp("2026/11/21"));
}

// A date of the right form that does not exist is told apart from a date of the wrong form.
TEST(DateTest, SaysWhyADateOrTimestampIsNotOne) {
  EXPECT_EQ(WhyNotEdxmlDate("2026/02/28"), "");
  EXPECT_EQ(WhyNotEdxmlDate("2026-02-28"), "is not a date written yyyy/MM/dd");
  EXPECT_EQ(WhyNotEdxmlDate("2026/2/28"), "is not a date written yyyy/MM/dd");
  EXPECT_EQ(WhyNotEdxmlDate("2026/02/30"),
            "is written yyyy/MM/dd, but month 02 of 2026 has 28 days");
  EXPECT_EQ(WhyNotEdxmlDate("2024/02/30"),
            "is written yyyy/MM/dd, but month 02 of 2024 has 29 days");
  EXPECT_EQ(WhyNotEdxmlDate("2026/13/01"), "is written yyyy/MM/dd, but there is no month 13");
  EXPECT_EQ(WhyNotEdxmlDate("2026/04/00"), "is written yyyy/MM/dd, but there is no day 00");
  EXPECT_EQ(WhyNotEdxmlDate("1899/12/31"), "is written yyyy/MM/dd, but the year is before 1900");
  EXPECT_EQ(WhyNotEdxmlTimestamp("2026/02/28 08:00:00"), "");
  EXPECT_EQ(WhyNotEdxmlTimestamp("2026-02-28T08:00:00"),
            "is not a timestamp written yyyy/MM/dd HH:mm:ss");
  EXPECT_EQ(WhyNotEdxmlTimestamp("2026/02/29 08:00:00"),
            "is written yyyy/MM/dd HH:mm:ss, but month 02 of 2026 has 28 days");
  EXPECT_EQ(WhyNotEdxmlTimestamp("2026/02/28 24:00:00"),
            "is written yyyy/MM/dd HH:mm:ss, but there is no hour 24");
  EXPECT_EQ(WhyNotEdxmlTimestamp("2026/02/28 08:60:00"),
            "is written yyyy/MM/dd HH:mm:ss, but there is no minute 60");
  EXPECT_EQ(WhyNotEdxmlTimestamp("2026/02/28 08:00:61"),
            "is written yyyy/MM/dd HH:mm:ss, but there is no second 61");
}

TEST(FindingTest, VerdictFollowsLevelAndStrictness) {
  constexpr RuleInfo must{"X-MUST", Level::kMust, "c", "s", "e"};
  constexpr RuleInfo should{"X-SHOULD", Level::kShould, "c", "s", "e"};
  constexpr RuleInfo legacy{"X-LEGACY", Level::kMust, "c", "s", "e", true};
  EXPECT_EQ(MakeFinding(must, {}, "m").verdict, Verdict::kFail);
  EXPECT_EQ(MakeFinding(must, {}, "m", "", "", Strictness::kLenient).verdict, Verdict::kFail);
  EXPECT_EQ(MakeFinding(should, {}, "m").verdict, Verdict::kWarn);
  EXPECT_EQ(MakeFinding(legacy, {}, "m").verdict, Verdict::kFail);
  EXPECT_EQ(MakeFinding(legacy, {}, "m", "", "", Strictness::kLenient).verdict, Verdict::kWarn);
  std::vector<Finding> fs = {MakeFinding(should, {}, "a"), MakeFinding(must, {}, "b")};
  EXPECT_EQ(Worst(fs), Verdict::kFail);
  EXPECT_EQ(Worst({}), Verdict::kPass);
  EXPECT_TRUE(HasRule(fs, "X-MUST"));
  EXPECT_FALSE(HasRule(fs, "X-OTHER"));
  ASSERT_NE(FirstFailure(fs), nullptr);
  EXPECT_EQ(FirstFailure(fs)->message, "b");  // the WARN before it is not a failure
  EXPECT_EQ(FirstFailure(std::span<const Finding>(fs).first(1)), nullptr);
}

}  // namespace
}  // namespace vxp

namespace vxp {
namespace {

TEST(CivilTime, InverseOfUnixSecondsAtAnOffset) {
  DateTime t{Date{2026, 11, 20}, 17, 0, 0};
  EXPECT_EQ(UnixSeconds(t, 420), 1795168800);  // 10:00:00Z
  EXPECT_EQ(CivilTime(1795168800, 420), t);
  EXPECT_EQ(CivilTime(1795168800), (DateTime{Date{2026, 11, 20}, 10, 0, 0}));
  EXPECT_EQ(CivilTime(-1), (DateTime{Date{1969, 12, 31}, 23, 59, 59}));
  // Out-of-range fields normalise; parsers detect that by the round trip.
  DateTime feb31{Date{2026, 2, 31}, 0, 0, 0};
  EXPECT_NE(CivilTime(UnixSeconds(feb31)), feb31);
}

}  // namespace
}  // namespace vxp
