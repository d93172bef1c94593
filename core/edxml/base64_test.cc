#include "core/edxml/base64.h"

#include <gtest/gtest.h>

#include <random>

namespace vxp::edxml {
namespace {

TEST(Base64Test, RoundTripsEveryLength) {
  std::mt19937 rng(42);
  for (size_t n = 0; n < 300; ++n) {
    std::string bytes(n, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    std::string encoded = EncodeBase64(bytes);
    auto decoded = DecodeBase64ToString(encoded);
    ASSERT_TRUE(decoded) << n;
    EXPECT_EQ(*decoded, bytes) << n;
  }
}

TEST(Base64Test, WrappedLinesAndBadBytesAtEveryPosition) {
  std::mt19937 rng(7);
  std::string bytes(200, '\0');
  for (auto& c : bytes) c = static_cast<char>(rng());
  std::string encoded = EncodeBase64(bytes);
  std::string wrapped;
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (i > 0 && i % 76 == 0) wrapped += "\r\n";
    wrapped += encoded[i];
  }
  EXPECT_EQ(*DecodeBase64ToString(wrapped), bytes);
  // A bad byte is reported exactly where it is, whether it falls in a fast or a slow group.
  for (size_t k = 0; k < encoded.size(); ++k) {
    std::string bad = encoded;
    bad[k] = '*';
    auto r = DecodeBase64(bad);
    ASSERT_FALSE(r) << k;
    EXPECT_EQ(r.error().offset, k);
  }
}

TEST(Base64Test, KnownVectors) {
  EXPECT_EQ(EncodeBase64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(EncodeBase64("fo"), "Zm8=");
  EXPECT_EQ(*DecodeBase64ToString("Zm9v\r\nYmFy"), "foobar");  // wrapped lines are tolerated
  EXPECT_EQ(*DecodeBase64ToString("Zg=="), "f");
}

TEST(Base64Test, StreamsInBoundedChunks) {
  std::string big(500000, 'x');
  std::string encoded = EncodeBase64(big);
  size_t chunks = 0, largest = 0, total = 0;
  auto r = DecodeBase64(encoded, [&](std::string_view c) {
    ++chunks;
    largest = std::max(largest, c.size());
    total += c.size();
  });
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, big.size());
  EXPECT_EQ(total, big.size());
  EXPECT_GT(chunks, 5u);
  EXPECT_LE(largest, 48u * 1024 + 3);
}

TEST(Base64Test, NamesTheProblemAndWhere) {
  auto bad = DecodeBase64("Zm9v%mFy");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().offset, 4u);
  EXPECT_NE(bad.error().reason.find("0x25"), std::string::npos);
  EXPECT_FALSE(DecodeBase64("Zm9vY"));     // truncated group
  EXPECT_FALSE(DecodeBase64("Zg==Zg=="));  // data after padding
  EXPECT_FALSE(DecodeBase64("Z==="));      // padding too early
  EXPECT_FALSE(DecodeBase64("Zh=="));      // non-zero trailing bits
  EXPECT_FALSE(DecodeBase64ToString("Zm9v!"));
  EXPECT_EQ(DecodeBase64ToString("Zm9v!").error().code, "edxml.base64");
}

}  // namespace
}  // namespace vxp::edxml
