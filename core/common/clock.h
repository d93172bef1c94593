// Time as vxpkit passes it around: milliseconds since the Unix epoch, and a clock as a function
// that returns them. The core never reads a clock; adapters (the CLI, the servers, the harness,
// Python) inject SystemMillis or, in tests, a pinned one.
#ifndef VXP_CORE_COMMON_CLOCK_H_
#define VXP_CORE_COMMON_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <functional>

namespace vxp {

using Millis = std::int64_t;
using Clock = std::function<Millis()>;

// The system clock now, for adapters to inject. Thread-safe.
inline Millis SystemMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace vxp

#endif  // VXP_CORE_COMMON_CLOCK_H_
