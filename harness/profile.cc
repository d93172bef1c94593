#include "harness/profile.h"

#include <cstdio>

namespace vxp::harness {
namespace {

using namespace std::chrono_literals;
using load::Arrival;

// docs/load.md explains the numbers. The national peak is taken as 10 documents/s (30 million
// documents a year over 250 working days of 8 hours is 4.2/s on average; the peak hour is taken
// at 2.5 times the average); "national peak ×10" sends 100/s to the SUT's agencies.
load::Settings CertificationLoad() {
  load::Settings s;
  s.agencies = 200;
  s.connections = 32;
  s.steady = {{{"warm-up", Arrival::kConstant, 10, 100, 60s},
               {"national peak x10", Arrival::kConstant, 100, -1, 300s}},
              60s};
  s.burst = {{{"base", Arrival::kPoisson, 10, -1, 30s},
              {"burst", Arrival::kPoisson, 500, -1, 10s},
              {"recovery", Arrival::kPoisson, 10, -1, 120s}},
             30s};
  s.soak = {{{"soak", Arrival::kPoisson, 20, -1, 3600s}}, 60s};
  s.thresholds = {.p99_arrived = 60s, .p99_answered = 600s, .max_error_rate = 0.001, .max_lag = 1s};
  s.drain = 600s;
  return s;
}

// The same shapes, scaled so the reference agency runs all three in seconds on loopback.
load::Settings DemoLoad() {
  load::Settings s;
  s.agencies = 12;
  s.connections = 4;
  s.steady = {{{"warm-up", Arrival::kConstant, 25, -1, 500ms},
               {"national peak x10 (scaled)", Arrival::kConstant, 25, -1, 2s}},
              500ms};
  s.burst = {{{"base", Arrival::kPoisson, 5, -1, 600ms},
              {"burst", Arrival::kPoisson, 80, -1, 500ms},
              {"recovery", Arrival::kPoisson, 5, -1, 1s}},
             600ms};
  s.soak = {{{"soak", Arrival::kPoisson, 10, -1, 4s}}, 500ms};
  s.thresholds = {
      .p99_arrived = 1500ms, .p99_answered = 3s, .max_error_rate = 0.001, .max_lag = 300ms};
  s.drain = 5s;
  return s;
}

const std::vector<RunProfile> kProfiles = {
    {"certification",
     "realistic deadlines for a vendor's system on a real network (the default)",
     {.sanity = 60s,
      .fetch = 120s,
      .arrived = 60s,
      .answer = 600s,
      .ack = 120s,
      .quiet = 30s,
      .outbound = 120s,
      .operator_ = 300s,
      .hub_latency = 10s,
      .peer_poll = 1s},
     CertificationLoad()},
    {"demo",
     "short deadlines for the built-in reference agency on loopback",
     {.sanity = 3s,
      .fetch = 2s,
      .arrived = 1500ms,
      .answer = 1500ms,
      .ack = 2s,
      .quiet = 300ms,
      .outbound = 2s,
      .operator_ = 60s,
      .hub_latency = 1500ms,
      .peer_poll = 25ms},
     DemoLoad()},
};

}  // namespace

const std::vector<RunProfile>& RunProfiles() { return kProfiles; }

Result<RunProfile> FindRunProfile(std::string_view name) {
  std::string names;
  for (const RunProfile& p : kProfiles) {
    if (p.name == name) return p;
    names += (names.empty() ? "" : ", ") + p.name;
  }
  return MakeError("config.profile",
                   "unknown profile '" + std::string(name) + "'; the profiles are: " + names);
}

std::vector<std::pair<std::string, milliseconds>> Named(const Deadlines& d) {
  return {{"sanity", d.sanity},
          {"fetch", d.fetch},
          {"arrived", d.arrived},
          {"answer", d.answer},
          {"ack", d.ack},
          {"quiet", d.quiet},
          {"outbound", d.outbound},
          {"operator", d.operator_},
          {"hub_latency", d.hub_latency},
          {"peer_poll", d.peer_poll}};
}

}  // namespace vxp::harness
