#include "harness/load/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace vxp::load {
namespace {

// Three significant digits: values below 2 × 10^3 are kept exactly, so a bucket of 2048
// sub-buckets whose upper half is reused at each power of two keeps 1 part in 1024 everywhere.
constexpr int kSubBucketCount = 2048;
constexpr int kHalfCount = kSubBucketCount / 2;
constexpr int kHalfMagnitude = 10;  // log2(kHalfCount)
constexpr std::uint64_t kSubBucketMask = kSubBucketCount - 1;

int BucketOf(std::uint64_t value) {
  // The position of the highest bit above the first bucket's range.
  int pow2ceiling = 64 - std::countl_zero(value | kSubBucketMask);
  return pow2ceiling - (kHalfMagnitude + 1);
}

}  // namespace

Histogram::Histogram(std::int64_t highest) : highest_(std::max<std::int64_t>(highest, 2048)) {
  std::int64_t untrackable = kSubBucketCount;
  bucket_count_ = 1;
  while (untrackable <= highest_) {
    untrackable <<= 1;
    ++bucket_count_;
  }
  counts_.assign(static_cast<size_t>(bucket_count_ + 1) * kHalfCount, 0);
}

size_t Histogram::IndexOf(std::int64_t value) const {
  auto v = static_cast<std::uint64_t>(value);
  int bucket = BucketOf(v);
  auto sub = static_cast<std::int64_t>(v >> bucket);
  return static_cast<size_t>(((bucket + 1) << kHalfMagnitude) + (sub - kHalfCount));
}

std::int64_t Histogram::HighestEquivalent(size_t index) const {
  int bucket = static_cast<int>(index >> kHalfMagnitude) - 1;
  std::int64_t sub = static_cast<std::int64_t>(index & (kHalfCount - 1)) + kHalfCount;
  if (bucket < 0) {
    sub -= kHalfCount;
    bucket = 0;
  }
  std::int64_t lowest = sub << bucket;
  return lowest + (std::int64_t{1} << bucket) - 1;
}

void Histogram::Record(std::int64_t value, std::int64_t count) {
  if (count <= 0) return;
  value = std::max<std::int64_t>(value, 0);
  if (value > highest_) {
    value = highest_;
    saturated_ += count;
  }
  counts_[IndexOf(value)] += count;
  min_ = total_ ? std::min(min_, value) : value;
  max_ = std::max(max_, value);
  total_ += count;
  sum_ += value * count;
}

bool Histogram::Merge(const Histogram& other) {
  if (other.highest_ != highest_) return false;
  if (other.total_ == 0) return true;
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  min_ = total_ ? std::min(min_, other.min_) : other.min_;
  max_ = std::max(max_, other.max_);
  total_ += other.total_;
  saturated_ += other.saturated_;
  sum_ += other.sum_;
  return true;
}

void Histogram::Reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_ = saturated_ = min_ = max_ = sum_ = 0;
}

std::int64_t Histogram::ValueAtPercentile(double percentile) const {
  if (total_ == 0) return 0;
  percentile = std::clamp(percentile, 0.0, 100.0);
  // Nearest rank: the ceil(p/100 × n)-th smallest sample, at least the first.
  auto rank = static_cast<std::int64_t>(std::ceil(percentile / 100.0 * total_ - 1e-9));
  rank = std::clamp<std::int64_t>(rank, 1, total_);
  std::int64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(HighestEquivalent(i), max_);
  }
  return max_;
}

}  // namespace vxp::load
