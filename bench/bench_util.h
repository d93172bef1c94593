// Helpers shared by the bench/ programs: best-of timing, rates and latencies of concurrent
// clients, and deterministic sample packages.
#ifndef VXP_BENCH_BENCH_UTIL_H_
#define VXP_BENCH_BENCH_UTIL_H_

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "core/edxml/samples.h"
#include "core/edxml/serialize.h"

namespace vxp::bench {

using Clock = std::chrono::steady_clock;

// Best-of-N seconds per call, running for at least `budget` seconds (and at least 3 runs).
inline double TimeIt(const std::function<void()>& f, double budget) {
  double best = 1e9;
  auto start = Clock::now();
  int runs = 0;
  do {
    auto t0 = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
    ++runs;
  } while (runs < 3 || std::chrono::duration<double>(Clock::now() - start).count() < budget);
  return best;
}

// `n` pseudo-random bytes (a fixed LCG, so every run measures the same input); never starts
// with '%', so it is never mistaken for a PDF.
inline std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  uint32_t x = 12345;
  for (char& c : out) c = static_cast<char>((x = x * 1103515245 + 12345) >> 24);
  if (!out.empty() && out[0] == '%') out[0] = 'x';
  return out;
}

// A valid document package of about `target_bytes` (a random attachment fills the size; the rest
// of the package is about 3 KB and base64 grows 4/3).
inline std::string Package(size_t target_bytes) {
  size_t raw = target_bytes > 4000 ? (target_bytes - 3000) * 3 / 4 : 100;
  return *edxml::Serialize(edxml::samples::Document(RandomBytes(raw)));
}

struct Figures {
  double per_second = 0;
  double p50_ms = 0, p99_ms = 0;
  long errors = 0;
};

// Runs `op` on `clients` threads for `seconds`; each thread gets its own state from `make`. The
// rate of calls, their latency and how many returned false.
template <class State>
inline Figures Measure(int clients, double seconds, const std::function<State()>& make,
                       const std::function<bool(State&)>& op) {
  std::vector<std::vector<double>> latencies(clients);
  std::atomic<long> errors{0};
  std::atomic<bool> go{false}, stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      State state = make();
      while (!go) std::this_thread::yield();
      while (!stop) {
        auto t0 = Clock::now();
        bool ok = op(state);
        latencies[i].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!ok) ++errors;
      }
    });
  }
  auto start = Clock::now();
  go = true;
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  Figures f;
  f.errors = errors;
  if (all.empty()) return f;
  f.per_second = static_cast<double>(all.size()) / elapsed;
  f.p50_ms = all[all.size() / 2];
  f.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  return f;
}

inline std::string SizeLabel(size_t size) {
  return size < (1 << 20) ? std::to_string(size >> 10) + " KB" : std::to_string(size >> 20) + " MB";
}

}  // namespace vxp::bench

#endif  // VXP_BENCH_BENCH_UTIL_H_
