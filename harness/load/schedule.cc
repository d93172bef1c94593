#include "harness/load/schedule.h"

#include <cmath>
#include <random>

namespace vxp::load {
namespace {

double EndRate(const Phase& p) { return p.rate_end < 0 ? p.rate : p.rate_end; }

// The time t in [0, T] (seconds) at which Λ(t) = r0·t + (r1 − r0)·t²/2T reaches `n`.
double InverseCumulative(double n, double r0, double r1, double t_total) {
  double a = (r1 - r0) / (2 * t_total);
  if (std::abs(a) < 1e-12) return n / r0;
  // a·t² + r0·t − n = 0, the root in [0, T]; written to stay exact when a is small.
  return 2 * n / (r0 + std::sqrt(r0 * r0 + 4 * a * n));
}

tl::unexpected<Error> Bad(std::string message) {
  return tl::unexpected(Error{"load.schedule", std::move(message)});
}

}  // namespace

double ExpectedCount(const std::vector<Phase>& phases) {
  double n = 0;
  for (const Phase& p : phases) {
    n += (p.rate + EndRate(p)) / 2 * std::chrono::duration<double>(p.duration).count();
  }
  return n;
}

Result<std::vector<Micros>> Arrivals(const std::vector<Phase>& phases, std::uint64_t seed,
                                     size_t limit) {
  for (const Phase& p : phases) {
    if (p.rate < 0 || EndRate(p) < 0 || !std::isfinite(p.rate) || !std::isfinite(EndRate(p))) {
      return Bad("phase '" + p.name + "' has a negative or infinite rate");
    }
    if (p.duration.count() <= 0) return Bad("phase '" + p.name + "' has no duration");
  }
  if (ExpectedCount(phases) > static_cast<double>(limit)) {
    return Bad("the phases would send about " +
               std::to_string(static_cast<long long>(ExpectedCount(phases))) +
               " messages, more than the limit of " + std::to_string(limit));
  }
  std::mt19937_64 rng(seed);
  std::exponential_distribution<double> step(1.0);
  std::vector<Micros> out;
  double offset = 0;  // seconds: where the phase starts
  for (const Phase& p : phases) {
    double total = std::chrono::duration<double>(p.duration).count();
    double r0 = p.rate, r1 = EndRate(p);
    double expected = (r0 + r1) / 2 * total;
    // Constant: the n-th arrival at Λ = n − ½ (centred, so a phase of 1 s at 10/s sends 10 and
    // phases join without a double or a gap). Poisson: unit-rate exponential steps of Λ.
    double n = p.arrival == Arrival::kConstant ? 0.5 : step(rng);
    while (n < expected) {
      double t = InverseCumulative(n, r0, r1, total);
      out.push_back(static_cast<Micros>(std::llround((offset + t) * 1e6)));
      if (out.size() > limit)
        return Bad("more arrivals than the limit of " + std::to_string(limit));
      n += p.arrival == Arrival::kConstant ? 1.0 : step(rng);
    }
    offset += total;
  }
  return out;
}

Result<Arrival> ParseArrival(std::string_view text) {
  if (text == "constant") return Arrival::kConstant;
  if (text == "poisson") return Arrival::kPoisson;
  return Bad("arrival '" + std::string(text) + "' is neither constant nor poisson");
}

std::string_view ToString(Arrival a) { return a == Arrival::kConstant ? "constant" : "poisson"; }

}  // namespace vxp::load
