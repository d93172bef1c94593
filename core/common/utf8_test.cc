#include "core/common/utf8.h"

#include <gtest/gtest.h>

namespace vxp {
namespace {

TEST(Utf8Test, EscapesOnlyWhatIsInvalid) {
  EXPECT_EQ(EscapeInvalidUtf8("Ủy ban"), "Ủy ban");
  EXPECT_EQ(EscapeInvalidUtf8("ab\xC0\x80"
                              "c"),
            "ab\\xC0\\x80c");  // overlong: both bytes
  // Latin-1 "Hoàn" as the Java SDK sends it in a header: one byte 0xE0.
  std::string latin1 = "Ho\xE0n";
  std::string escaped = EscapeInvalidUtf8(latin1);
  EXPECT_EQ(escaped, "Ho\\xE0n");
  EXPECT_EQ(FindInvalidUtf8(escaped), std::string::npos);
  EXPECT_EQ(EscapeInvalidUtf8("tail \xE1\x80"), "tail \\xE1\\x80");  // truncated sequence
}

}  // namespace
}  // namespace vxp
