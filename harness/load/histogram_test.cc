// The histogram against exact percentiles of known samples: every reported percentile is within
// 0.1% of the exact nearest-rank value, merging equals recording everything in one, memory does
// not grow with samples, and values beyond the range are kept visible.
#include "harness/load/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace vxp::load {
namespace {

// Nearest rank: the ceil(p/100 × n)-th smallest (99.9% of 10,000 is rank 9,990, though the
// product comes out as 9990.000000000002 in floating point).
std::int64_t Exact(std::vector<std::int64_t> v, double p) {
  std::sort(v.begin(), v.end());
  auto rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size()) - 1e-9));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

void ExpectWithinThreeDigits(const Histogram& h, const std::vector<std::int64_t>& samples) {
  for (double p : {0.0, 1.0, 25.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    std::int64_t exact = Exact(samples, p);
    std::int64_t got = h.ValueAtPercentile(p);
    // Three significant digits: the reported value is the top of the exact value's bucket,
    // never below it and less than 0.1% above it.
    EXPECT_GE(got, exact) << "p" << p;
    EXPECT_LE(got - exact, exact / 1000) << "p" << p << " exact " << exact << " got " << got;
  }
}

TEST(Histogram, SmallValuesAreExact) {
  Histogram h;
  std::vector<std::int64_t> samples;
  for (std::int64_t v = 0; v < 2048; ++v) {
    h.Record(v);
    samples.push_back(v);
  }
  for (double p : {10.0, 50.0, 99.0, 100.0}) EXPECT_EQ(h.ValueAtPercentile(p), Exact(samples, p));
  EXPECT_EQ(h.ValueAtPercentile(50), 1023);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 2047);
  EXPECT_DOUBLE_EQ(h.mean(), 1023.5);
}

TEST(Histogram, UniformOneToTenThousand) {
  Histogram h;
  std::vector<std::int64_t> samples;
  for (std::int64_t v = 1; v <= 10'000; ++v) {
    h.Record(v);
    samples.push_back(v);
  }
  ExpectWithinThreeDigits(h, samples);
  // p50 of 1..10000 is 5000; its bucket (width 4 above 4096) tops at 5003.
  EXPECT_EQ(h.ValueAtPercentile(50), 5003);
  EXPECT_EQ(h.ValueAtPercentile(100), 10'000);
}

TEST(Histogram, LogNormalLatenciesMatchExactPercentiles) {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> dist(std::log(20'000.0), 1.0);  // µs: ~20 ms median
  Histogram h;
  std::vector<std::int64_t> samples;
  for (int i = 0; i < 200'000; ++i) {
    auto v = static_cast<std::int64_t>(dist(rng));
    h.Record(v);
    samples.push_back(v);
  }
  EXPECT_EQ(h.count(), 200'000);
  ExpectWithinThreeDigits(h, samples);
}

TEST(Histogram, AStallShowsInTheTail) {
  // 9,990 answers in 1 ms and 10 that waited 10 s: p99.9 must show the stall, p99 must not.
  Histogram h;
  std::vector<std::int64_t> samples(9'990, 1'000);
  samples.insert(samples.end(), 10, 10'000'000);
  for (std::int64_t v : samples) h.Record(v);
  ExpectWithinThreeDigits(h, samples);
  EXPECT_LE(h.ValueAtPercentile(99), 1'001);
  EXPECT_GE(h.ValueAtPercentile(99.95), 10'000'000);
}

TEST(Histogram, MergeEqualsRecordingEverything) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> dist(0, 50'000'000);
  Histogram a, b, all;
  std::vector<std::int64_t> samples;
  for (int i = 0; i < 50'000; ++i) {
    std::int64_t v = dist(rng);
    (i % 3 ? a : b).Record(v);
    all.Record(v);
    samples.push_back(v);
  }
  ASSERT_TRUE(a.Merge(b));
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_DOUBLE_EQ(a.mean(), all.mean());
  for (double p : {1.0, 50.0, 99.0, 99.9})
    EXPECT_EQ(a.ValueAtPercentile(p), all.ValueAtPercentile(p));
  ExpectWithinThreeDigits(a, samples);
  Histogram other_range(1'000'000);
  EXPECT_FALSE(a.Merge(other_range));
  EXPECT_EQ(a.count(), all.count());
}

// Memory is what is allocated for the counters: fixed whatever is recorded, merged or reset,
// and logarithmic in the range (a histogram of hours in µs is not a thousand times one of
// seconds), which is what lets a long soak keep one per latency.
TEST(Histogram, MemoryIsFixedAndLogarithmicInTheRange) {
  Histogram h;
  const size_t before = h.memory_bytes();
  EXPECT_EQ(before, 23 * 1024 * sizeof(std::int64_t));
  for (std::int64_t i = 0; i < 1'000'000; ++i) h.Record(i * 3'600 + 7);
  h.Record(std::int64_t{1} << 62);  // saturates, does not grow
  EXPECT_EQ(h.memory_bytes(), before);
  Histogram other;
  other.Record(5);
  ASSERT_TRUE(h.Merge(other));
  h.Reset();
  EXPECT_EQ(h.memory_bytes(), before);
  Histogram seconds(3'600'000);  // one hour in ms: a thousandth of the default range
  EXPECT_LT(before, 2 * seconds.memory_bytes());  // a linear one would be 1,000 times
  EXPECT_GT(before, seconds.memory_bytes());
}

TEST(Histogram, ValuesAboveTheRangeSaturateVisibly) {
  Histogram h(1'000'000);
  h.Record(5);
  h.Record(2'000'000'000);
  h.Record(-3);
  EXPECT_EQ(h.count(), 3);
  EXPECT_EQ(h.saturated(), 1);
  EXPECT_EQ(h.max(), 1'000'000);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.ValueAtPercentile(100), 1'000'000);
}

TEST(Histogram, EmptyAndReset) {
  Histogram h;
  EXPECT_EQ(h.ValueAtPercentile(99), 0);
  EXPECT_EQ(h.count(), 0);
  EXPECT_EQ(h.mean(), 0);
  h.Record(1234, 10);
  EXPECT_EQ(h.count(), 10);
  EXPECT_EQ(h.ValueAtPercentile(50), 1234);
  h.Reset();
  EXPECT_EQ(h.count(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.ValueAtPercentile(50), 0);
}

}  // namespace
}  // namespace vxp::load
