#include "core/common/text.h"

#include <gtest/gtest.h>

namespace vxp {
namespace {

TEST(ClosestName, NamesTheOneAMisspellingIsNearest) {
  const std::vector<std::string_view> names = {"getEdoc", "getReceivedEdocList", "getSentEdocList",
                                               "sendEdoc"};
  EXPECT_EQ(ClosestName("getRecievedEdocList", names), "getReceivedEdocList");  // a swap
  EXPECT_EQ(ClosestName("GETEDOC", names), "getEdoc");                          // case only
  EXPECT_EQ(ClosestName("sendEdc", names), "sendEdoc");                         // a deletion
  EXPECT_EQ(ClosestName("frobnicate", names), "");                              // nothing near
  EXPECT_EQ(ClosestName("getXXXEdoc", names), "");                              // 3 edits away
  // Equally near two names: no guess.
  EXPECT_EQ(ClosestName("ab", {"aa", "bb"}), "");
}

}  // namespace
}  // namespace vxp

namespace vxp {
namespace {

TEST(AsciiTrim, DropsAsciiSpaceAtTheEndsOnly) {
  EXPECT_EQ(AsciiTrim("  an@vendor.vn \t\r\n"), "an@vendor.vn");
  EXPECT_EQ(AsciiTrim("Nguyễn  Văn An"), "Nguyễn  Văn An");  // inner spaces and letters kept
  EXPECT_EQ(AsciiTrim(" \t "), "");
  EXPECT_EQ(AsciiTrim(""), "");
  // A no-break space (U+00A0) is not ASCII space: it stays, as the bytes it is.
  EXPECT_EQ(AsciiTrim("\xC2\xA0x"), "\xC2\xA0x");
}

}  // namespace
}  // namespace vxp
