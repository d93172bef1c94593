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
