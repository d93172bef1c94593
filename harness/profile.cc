#include "harness/profile.h"

#include <cstdio>

namespace vxp::harness {
namespace {

using namespace std::chrono_literals;

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
      .peer_poll = 1s}},
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
      .peer_poll = 25ms}},
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

std::string FormatDuration(milliseconds d) {
  if (d < 1000ms) return std::to_string(d.count()) + " ms";
  char buf[32];
  if (d.count() % 1000 == 0) {
    std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(d.count() / 1000));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
  }
  return buf;
}

}  // namespace vxp::harness
