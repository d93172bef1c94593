// Run profiles: the deadlines a run judges the system under test by (edxml.md §4 decision:
// "deadlines are profile settings with defaults, and the report prints the values used").
//
//   demo           short deadlines for the built-in reference agency on loopback (a full run in
//                  seconds); a real system on a real network would miss them.
//   certification  realistic deadlines for a vendor's system: minutes, not milliseconds.
//
// Plain values; thread-safe.
#ifndef VXP_HARNESS_PROFILE_H_
#define VXP_HARNESS_PROFILE_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/datetime.h"
#include "core/common/finding.h"
#include "core/common/result.h"
#include "harness/load/load_settings.h"

namespace vxp::harness {

using std::chrono::milliseconds;

struct Deadlines {
  milliseconds sanity;       // the first authenticated poll of the SUT after the run starts
  milliseconds fetch;        // a pending item is fetched (getEdoc) after it was submitted
  milliseconds arrived;      // 01 after the SUT fetched the document
  milliseconds answer;       // 02/03 after 01; 15/16 after a request arrived
  milliseconds ack;          // the transport acknowledgement (updateStatus) after the fetch
  milliseconds quiet;        // how long the harness watches for something that must not happen
  milliseconds outbound;     // a document the SUT was asked to send reaches the hub
  milliseconds operator_;    // an operator carries out a prompted action
  milliseconds hub_latency;  // HUB-SLOW: the latency the hub adds to the SUT's fetches
  milliseconds peer_poll;    // how often the mock counter-parties poll the hub
};

struct RunProfile {
  std::string name;
  std::string description;
  Deadlines deadlines;
  load::Settings load;  // the load scenarios' shapes and bounds (docs/load.md)
  // How every package the SUT submits is judged (schema and rules, Context::JudgeSubmitted):
  // strict agency identifiers in both built-in profiles, since a certified system writes the
  // strict form (edxml.md §5 decision). Lenient only relaxes what the SUT may write.
  Strictness packages = Strictness::kStrict;
};

// "certification" first (the default), then "demo".
const std::vector<RunProfile>& RunProfiles();
// Error "config.profile" naming the known profiles.
Result<RunProfile> FindRunProfile(std::string_view name);

// Each deadline by name ("sanity", "fetch", …) in a fixed order, for reports and messages.
std::vector<std::pair<std::string, milliseconds>> Named(const Deadlines& deadlines);

}  // namespace vxp::harness

#endif  // VXP_HARNESS_PROFILE_H_
