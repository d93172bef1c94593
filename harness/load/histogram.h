// A latency histogram in the manner of HdrHistogram: log-linear buckets that keep every value to
// three significant digits (a recorded value and the value reported for it differ by less than
// 0.1%), in memory fixed at construction whatever the number of samples, and mergeable (two
// histograms of the same range add up to the histogram of all their samples). Debian has no
// package of HdrHistogram_c; this is the small part of it the load engine needs.
//
// Values are non-negative integers in the caller's unit (the load engine records microseconds).
// A value above the range is counted at the range's top and counted again in saturated(), so an
// extreme outlier shows as "at least the top" instead of vanishing.
//
// Not thread-safe: one writer; merge per-thread histograms to combine them.
#ifndef VXP_HARNESS_LOAD_HISTOGRAM_H_
#define VXP_HARNESS_LOAD_HISTOGRAM_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vxp::load {

class Histogram {
 public:
  // Tracks 0..`highest` (at least 2048) to three significant digits. The default is one hour in
  // microseconds: 23,552 counters, 184 KiB.
  explicit Histogram(std::int64_t highest = 3'600'000'000);

  // Records `value` `count` times. A negative value counts as 0.
  void Record(std::int64_t value, std::int64_t count = 1);
  // Adds every sample of `other`. False (and nothing added) when the ranges differ.
  bool Merge(const Histogram& other);
  void Reset();

  std::int64_t count() const { return total_; }
  std::int64_t saturated() const { return saturated_; }
  std::int64_t highest() const { return highest_; }
  // Exact smallest and largest recorded value (0 when empty); the largest is at most highest().
  std::int64_t min() const { return total_ ? min_ : 0; }
  std::int64_t max() const { return max_; }
  // Exact mean of the recorded values (after clamping), 0 when empty.
  double mean() const { return total_ ? static_cast<double>(sum_) / total_ : 0; }

  // The smallest value v such that at least `percentile`% of the samples are <= v (nearest
  // rank), reported as the highest value of v's bucket and never above max(). 0 when empty;
  // `percentile` is clamped to 0..100.
  std::int64_t ValueAtPercentile(double percentile) const;

  // Bytes the counters hold allocated (fixed at construction; logarithmic in highest()).
  size_t memory_bytes() const { return counts_.capacity() * sizeof(std::int64_t); }

 private:
  size_t IndexOf(std::int64_t value) const;
  std::int64_t HighestEquivalent(size_t index) const;

  std::int64_t highest_;
  int bucket_count_ = 0;
  std::vector<std::int64_t> counts_;
  std::int64_t total_ = 0, saturated_ = 0, min_ = 0, max_ = 0, sum_ = 0;
};

}  // namespace vxp::load

#endif  // VXP_HARNESS_LOAD_HISTOGRAM_H_
