// A conformance scenario: permanent metadata and a run function. The catalogue (conformance/)
// defines one per file; the runner (harness.h) decides which run, in what order, and turns what a
// run function recorded in its Context into a verdict.
#ifndef VXP_HARNESS_SCENARIO_H_
#define VXP_HARNESS_SCENARIO_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/finding.h"

namespace vxp::harness {

class Context;

// What a system may claim to do in its conformance statement: receive documents; send them;
// handle a revoke, an update, a replacement or a recall it receives (edxml.md §3).
inline const std::vector<std::string> kCapabilities = {"receive", "send",    "revoke",
                                                       "update",  "replace", "recall"};

// How the reason of a SKIP for a capability the system does not claim begins (a certifier needs
// no waiver for it).
inline constexpr std::string_view kNotClaimed = "not claimed";

struct Scenario {
  std::string id;        // permanent, e.g. "INBOUND-BAD-DATE"; never renumbered
  std::string title;     // one line
  std::string category;  // transport, inbound, signature, lifecycle, flows, outbound, hub, load
  // The capabilities of kCapabilities the scenario tests. A system whose conformance statement
  // (SutConfig::claims) lacks one of them gets SKIP "not claimed"; empty: every system.
  std::vector<std::string> claims;
  std::vector<std::string> requirements;  // IDs in conformance/requirements.csv
  Level level = Level::kMust;             // SHOULD: WARN on failure (FAIL with --strict)
  std::string description;                // what it does and what it expects, plain language
  bool needs_control = false;             // the SUT must be made to act (driver or operator)
  bool needs_outbound = false;            // the SUT must be able to send documents
  bool sanity = false;                    // the run's first and last check; a failure stops the run
  // Runs while no other scenario's quiet window is open (Context::Linger): it judges what the SUT
  // does in its time as a whole (every status, every exchange), not only what concerns its own
  // documents. Sanity checks and the hub, load and outbound scenarios always run alone
  // (RunsAlone).
  bool alone = false;
  std::function<void(Context&)> run;
};

// Whether `s` runs while no other scenario's quiet window is open: Scenario::alone, a sanity
// check, or a scenario that changes the hub for everyone (hub), loads it (load) or judges what the
// SUT sends of its own accord (outbound).
inline bool RunsAlone(const Scenario& s) {
  return s.alone || s.sanity || s.category == "hub" || s.category == "load" ||
         s.category == "outbound" || s.needs_outbound;
}

// A requirement the suite knows (conformance/requirements.csv).
struct Requirement {
  std::string id;
  std::string source;  // document and clause, e.g. "hub-api.md §4.3"
  std::string summary;
  Level level = Level::kMust;
  std::vector<std::string> tested_by;  // scenario IDs
  std::string not_tested;              // why not, when tested_by is empty
};

}  // namespace vxp::harness

#endif  // VXP_HARNESS_SCENARIO_H_
