#include "core/edxml/zip.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vxp::edxml {
namespace {

using ::testing::HasSubstr;

TEST(Zip, OneEntryRoundTrips) {
  const std::string pdf = "%PDF-1.4\n" + std::string(5000, 'x') + "\n%%EOF\n";
  auto zip = ZipOne("van-ban.pdf", pdf);
  ASSERT_TRUE(zip) << zip.error().message;
  EXPECT_TRUE(LooksLikeZip(*zip));
  EXPECT_LT(zip->size(), pdf.size());  // deflated
  auto entries = ReadZip(*zip);
  ASSERT_TRUE(entries) << entries.error().message;
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].name, "van-ban.pdf");
  EXPECT_EQ((*entries)[0].bytes, pdf);
  EXPECT_EQ(*ZipOne("van-ban.pdf", pdf), *zip);  // reproducible bytes
}

TEST(Zip, ManyEntriesInFoldersRoundTripInOrder) {
  std::vector<ZipEntry> files = {{"run-7/result.json", "{}"},
                                 {"run-7/evidence/INBOUND-VALID/exchanges.json", "[]"},
                                 {"run-7/index.html", std::string(3000, 'h')}};
  auto zip = Zip(files);
  ASSERT_TRUE(zip) << zip.error().message;
  auto back = ReadZip(*zip);
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->size(), 3u);
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ((*back)[i].name, files[i].name);
    EXPECT_EQ((*back)[i].bytes, files[i].bytes);
  }
  EXPECT_EQ(*Zip(files), *zip);  // reproducible bytes
}

TEST(Zip, ABombStopsAtTheLimit) {
  auto zip = ZipOne("zeros.bin", std::string(8 << 20, '\0'));
  ASSERT_TRUE(zip);
  EXPECT_LT(zip->size(), 64u << 10);
  auto r = ReadZip(*zip, ZipLimits{.max_entries = 4, .max_total_bytes = 1 << 20});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "edxml.zip");
  EXPECT_THAT(r.error().message, HasSubstr("inflates to more than 1048576 bytes"));
}

TEST(Zip, GarbageAndTruncationAreErrorsNotCrashes) {
  EXPECT_FALSE(LooksLikeZip("%PDF-1.4"));
  for (std::string bad : {std::string("PK\3\4garbage"), std::string("not a zip at all"),
                          ZipOne("a.pdf", std::string(4000, 'y'))->substr(0, 60)}) {
    auto r = ReadZip(bad);
    ASSERT_FALSE(r) << bad.size();
    EXPECT_EQ(r.error().code, "edxml.zip");
  }
}

}  // namespace
}  // namespace vxp::edxml
