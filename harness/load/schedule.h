// Open-model arrivals: when each message of a load run is meant to be sent, decided before the
// run from its phases and seed, never from how fast the system answers. A phase sends at a
// constant interval or as a Poisson process, at a rate that stays put or ramps linearly from
// `rate` to `rate_end` over the phase.
//
// A ramp is followed exactly: arrivals are placed at equal steps (constant) or exponential steps
// (Poisson) of the cumulative expected count Λ(t) = r0·t + (r1 − r0)·t²/2T and mapped back to
// time through Λ's inverse, so the n-th arrival of a ramp from 10/s to 30/s over 10 s comes
// where 10·t + t² = n. Pure; the same phases and seed give the same times.
#ifndef VXP_HARNESS_LOAD_SCHEDULE_H_
#define VXP_HARNESS_LOAD_SCHEDULE_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"

namespace vxp::load {

using Micros = std::int64_t;

enum class Arrival { kConstant, kPoisson };

struct Phase {
  std::string name;  // "warm-up", "peak", "burst", … for the report
  Arrival arrival = Arrival::kConstant;
  double rate = 0;       // messages per second at the start
  double rate_end = -1;  // at the end; < 0 = the same as `rate`
  std::chrono::milliseconds duration{0};
};

// Expected number of messages of `phases` (Σ of mean rate × duration).
double ExpectedCount(const std::vector<Phase>& phases);

// Intended send times in µs from the start of the run, ascending. Error "load.schedule" for a
// negative rate, a phase without duration, or more than `limit` arrivals (a typo such as a rate
// of 1e9 must not allocate the machine away).
Result<std::vector<Micros>> Arrivals(const std::vector<Phase>& phases, std::uint64_t seed,
                                     size_t limit = 2'000'000);

// "constant" / "poisson"; nullopt-like error "load.schedule" for anything else.
Result<Arrival> ParseArrival(std::string_view text);
std::string_view ToString(Arrival a);

}  // namespace vxp::load

#endif  // VXP_HARNESS_LOAD_SCHEDULE_H_
