#include "core/lifecycle/lifecycle.h"

#include <gtest/gtest.h>

#include <initializer_list>

namespace vxp::lifecycle {
namespace {

constexpr char kSender[] = "000.00.00.G22";
constexpr char kRecipient[] = "000.00.00.H53";

StatusEvent FromRecipient(std::string code, std::string reason = {}) {
  return {std::move(code), kRecipient, kSender, std::move(reason)};
}
StatusEvent FromSender(std::string code, std::string reason = {}) {
  return {std::move(code), kSender, kRecipient, std::move(reason)};
}

// Feeds `events` and returns the rule IDs of all findings, in order.
std::vector<std::string> FeedAll(std::initializer_list<StatusEvent> events,
                                 BusinessType type = BusinessType::kNew) {
  Tracker t("DOC-1", kSender, kRecipient, type);
  std::vector<std::string> ids;
  for (const auto& e : events) {
    for (const auto& f : t.Feed(e)) ids.push_back(f.rule_id);
  }
  return ids;
}

using Ids = std::vector<std::string>;

TEST(LifecycleTest, FullHappyPathIsAccepted) {
  Tracker t("DOC-1", kSender, kRecipient);
  for (const char* c : {"01", "03", "04", "05", "05", "06"}) {
    EXPECT_TRUE(t.Feed(FromRecipient(c)).empty()) << c;
  }
  EXPECT_TRUE(t.Terminal());
  EXPECT_EQ(t.History().size(), 6u);
}

TEST(LifecycleTest, FourMayBeSkippedAndRejectEndsIt) {
  EXPECT_EQ(
      FeedAll({FromRecipient("01"), FromRecipient("03"), FromRecipient("05"), FromRecipient("06")}),
      Ids{});
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("02", "thiếu chữ ký số")}), Ids{});
}

TEST(LifecycleTest, UnknownCode) {
  EXPECT_EQ(FeedAll({FromRecipient("07")}), Ids{"LIFE-CODE-KNOWN"});
}

TEST(LifecycleTest, OneMustComeFirst) {
  EXPECT_EQ(FeedAll({FromRecipient("03")}), Ids{"LIFE-01-FIRST"});
  EXPECT_EQ(FeedAll({FromRecipient("02", "x")}), Ids{"LIFE-01-FIRST"});
}

TEST(LifecycleTest, TwoAndThreeAreExclusive) {
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("03"), FromRecipient("02", "late")}),
            Ids{"LIFE-02-03-EXCLUSIVE"});
}

TEST(LifecycleTest, NothingAfterTerminal) {
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("02", "bad"), FromRecipient("03")}),
            Ids{"LIFE-TERMINAL"});
  EXPECT_EQ(
      FeedAll({FromRecipient("01"), FromRecipient("03"), FromRecipient("06"), FromRecipient("05")}),
      Ids{"LIFE-TERMINAL"});
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("03"), FromRecipient("06"),
                     FromSender("13", "recall")}),
            Ids{"LIFE-TERMINAL"});
}

TEST(LifecycleTest, DuplicatesExceptFive) {
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("01")}), Ids{"LIFE-DUPLICATE"});
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("03"), FromRecipient("03")}),
            Ids{"LIFE-DUPLICATE"});
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("03"), FromRecipient("05"),
                     FromRecipient("05"), FromRecipient("05")}),
            Ids{});
}

TEST(LifecycleTest, ReasonsRequired) {
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("02", "  ")}), Ids{"LIFE-REASON"});
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromSender("13")}), Ids{"LIFE-REASON"});
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromSender("13", "sai"), FromRecipient("16")}),
            Ids{"LIFE-REASON"});
}

TEST(LifecycleTest, RecallAcceptedCancelsProcessing) {
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("03"), FromSender("13", "gửi nhầm"),
                     FromRecipient("15")}),
            Ids{});
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("03"), FromSender("13", "gửi nhầm"),
                     FromRecipient("15"), FromRecipient("05")}),
            Ids{"LIFE-CANCELLED"});
}

TEST(LifecycleTest, RecallRefusedContinues) {
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("03"), FromSender("13", "gửi nhầm"),
                     FromRecipient("16", "đã xử lý"), FromRecipient("05"), FromRecipient("06")}),
            Ids{});
}

TEST(LifecycleTest, ProcessingNeedsAcceptanceAndOrder) {
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("05")}), Ids{"LIFE-ORDER"});
  EXPECT_EQ(
      FeedAll({FromRecipient("01"), FromRecipient("03"), FromRecipient("05"), FromRecipient("04")}),
      Ids{"LIFE-ORDER"});
}

TEST(LifecycleTest, WrongParty) {
  // 03 emitted by the sender.
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromSender("03")}),
            (Ids{"LIFE-WRONG-PARTY", "LIFE-WRONG-PARTY"}));
  // 01 addressed to a third agency.
  EXPECT_EQ(FeedAll({StatusEvent{"01", kRecipient, "000.00.00.H41", ""}}), Ids{"LIFE-WRONG-PARTY"});
  // 13 emitted by the recipient (addressed correctly, so one finding).
  EXPECT_EQ(FeedAll({FromRecipient("01"), StatusEvent{"13", kRecipient, kRecipient, "x"}}),
            Ids{"LIFE-WRONG-PARTY"});
}

TEST(LifecycleTest, FifteenNeedsARequest) {
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("15")}), Ids{"LIFE-15-16-UNSOLICITED"});
  // An update document is itself the request.
  EXPECT_EQ(FeedAll({FromRecipient("01"), FromRecipient("15")}, BusinessType::kUpdate), Ids{});
  EXPECT_EQ(
      FeedAll({FromRecipient("01"), FromRecipient("16", "không đồng ý")}, BusinessType::kReplace),
      Ids{});
}

TEST(LifecycleTest, ViolationsAreRecordedSoTheyDoNotCascade) {
  Tracker t("DOC-1", kSender, kRecipient);
  EXPECT_EQ(t.Feed(FromRecipient("03")).size(), 1u);  // before 01
  auto late = t.Feed(FromRecipient("01"));            // 01 after 03 goes backwards
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].rule_id, "LIFE-ORDER");
  EXPECT_TRUE(t.Feed(FromRecipient("05")).empty());  // 03 was recorded
}

TEST(LifecycleTest, FindingsCarryLocationAndText) {
  Tracker t("DOC-9", kSender, kRecipient);
  auto f = t.Feed(FromRecipient("06"), {"status#4", 0});
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule_id, "LIFE-01-FIRST");
  EXPECT_EQ(f[0].location.path, "status#4");
  EXPECT_NE(f[0].message.find("DOC-9"), std::string::npos);
  EXPECT_EQ(f[0].verdict, Verdict::kFail);
}

TEST(LifecycleTest, CodeHelpers) {
  EXPECT_TRUE(RequiresReason("02"));
  EXPECT_TRUE(RequiresReason("13"));
  EXPECT_TRUE(RequiresReason("16"));
  EXPECT_FALSE(RequiresReason("03"));
  EXPECT_TRUE(IsSenderCode("13"));
  EXPECT_FALSE(IsSenderCode("15"));
  EXPECT_EQ(Describe("03"), "03 đã tiếp nhận (accepted)");
}

}  // namespace
}  // namespace vxp::lifecycle
