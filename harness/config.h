// What a run is given: the system under test (the SUT file, docs/vendor-guide.md) and the run's
// options (profile, selection, seed, strictness, expected failures).
//
// The SUT file is JSON:
//   {
//     "system":   {"id": "acme-dms", "secret": "…"},      // the credentials it uses on the hub
//     "agencies": ["000.00.00.H53"],                       // the agencies it sends and receives
//     "hub":      {"listen": "127.0.0.1:8650",             // where the harness's hub listens
//                  "utcOffsetMinutes": 0},                  // the zone of the SDK's timestamps
//                  // (optional; default: UTC+7 or the host's zone, hub-simulator.md)
//     "driver":   "http://127.0.0.1:8700",                 // its test-driver API (optional)
//     "outbound": true,                                    // it can send documents (default true)
//     "peers":    ["000.00.00.G22", …]                     // counter-parties (optional)
//   }
// Plain values; parsing is pure.
#ifndef VXP_HARNESS_CONFIG_H_
#define VXP_HARNESS_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"

namespace vxp::harness {

struct ScenarioResult;  // harness.h

struct SutConfig {
  std::string system_id;
  std::string secret;
  std::vector<std::string> agencies;  // strict agency identifiers; the first is the main one
  std::string hub_listen = "127.0.0.1:8650";
  // The zone the SUT's SDK writes timestamps in, minutes east of UTC; nullopt = accept UTC+7 or
  // the host's zone (hub::DefaultTimestampZones).
  std::optional<int> utc_offset_minutes;
  std::string driver_url;  // "" = no test-driver API
  bool outbound = true;
  std::vector<std::string> peers;  // "" = G22, H41, H24 (others if the SUT owns one of them)
  // The product under test as its vendor names it ("product": {"name", "version"}); "" when the
  // SUT file does not say (the driver's /driver/v1/info may).
  std::string product, product_version;
  // The conformance statement: the capabilities (kCapabilities) the system claims. Scenarios of
  // an unclaimed one are SKIP "not claimed". nullopt (a SUT file without "claims"): every one.
  std::optional<std::vector<std::string>> claims;
};

// Errors "config.sut": not JSON, a missing or mistyped key (named), an agency identifier that is
// not strict, a listen address without a port, a driver URL that is not http(s).
Result<SutConfig> ParseSutConfig(std::string_view json);

// The peers a run uses: `configured`, or the defaults, never one of the SUT's agencies.
std::vector<std::string> ChoosePeers(const SutConfig& sut);

// An expected-failures file: one scenario ID per line, optionally followed by a reason after
// whitespace or '#'; blank lines and lines starting with '#' are ignored. ID → reason. Error
// "config.expected" naming the line of an entry that is not a scenario ID form.
Result<std::map<std::string, std::string>> ParseExpectedFailures(std::string_view text);

struct RunOptions {
  std::string profile = "certification";
  std::vector<std::string> only;        // scenario ID globs (fnmatch); empty = all
  std::vector<std::string> categories;  // empty = all
  bool strict = false;                  // SHOULD scenarios FAIL instead of WARN
  std::uint64_t seed = 1;
  std::map<std::string, std::string> expected_failures;
  bool interactive = false;    // operator prompts when there is no driver
  double load_rate_scale = 1;  // every load phase's rate is multiplied by this
  // The command that re-runs this configuration; a scenario's replay command is this plus
  // "--only ID --seed N".
  std::string replay_command = "vxpkit run";
  std::function<void(const std::string&)> progress;  // one line at a time; may be empty
  // No sockets: the hub is not served over HTTP; every client of it (the peers, and an SUT in
  // this process such as the reference agency, through Harness::HubTransport) calls its handler
  // directly. For the suite's own tests; a vendor's system needs the HTTP hub.
  bool in_process = false;
  // Asked between scenarios and while a scenario waits (every 20 ms at most): a non-empty
  // answer (why, e.g. "SIGINT") interrupts the run. The scenario under way ends NOT RUN, the
  // rest are NOT RUN, the verdict is INCOMPLETE (exit 4). May be empty.
  std::function<std::string()> interrupted;
  // Called on the run's thread as each scenario's verdict lands (the final sanity check's too),
  // before the next one starts. May be empty.
  std::function<void(const ScenarioResult&)> scenario_done;
  // Where operator prompts go (`interactive` without a driver): the prompt's number, what to do,
  // and how long the harness watches the hub for it. Empty: printed on standard error.
  std::function<void(int, const std::string&, std::chrono::milliseconds)> prompt;
  // Asked while a scenario waits, with `prompt`: non-empty (the operator's words) when the
  // operator has answered that the system cannot do what the last prompt asked. The scenario
  // stops waiting and FAILs (WARN at SHOULD) under its first requirement: the system claims the
  // capability. May be empty.
  std::function<std::string()> declined;
  // The first DocId the run's hub hands out (0: 1). A system that keeps running between runs
  // may remember the DocIds it fetched, as it may from the live hub, which never hands out one
  // twice: each run starts past the last one's (`vxpkit run` from the clock, the conformance
  // service from the run's number).
  std::int64_t first_doc_id = 0;
  // The documents the harness makes are numbered series × 10^6 + 1, 2, … (CodeNumber, at most
  // 11 digits: series 1–99999), so that no two runs of one day send the system the same document
  // (same sender, date and number), which it may rightly take for a repeat. 0: numbered from the
  // seed, (seed mod 900 + 100) × 1000 + 1, 2, … (the suite's own runs against a fresh agency).
  std::int64_t document_series = 0;
};

// A first DocId for a run that starts at `unix_seconds`: unix_seconds × 10^6 + 1, so that runs
// a second or more apart never share a DocId unless one hands out a million per second of its
// length (it stays below 2^53, exact in every JSON reader).
std::int64_t FirstDocIdAt(std::int64_t unix_seconds);
// A document series for a run that starts at `unix_seconds`: 1–99999, different for runs that
// start in different seconds of one day.
std::int64_t DocumentSeriesAt(std::int64_t unix_seconds);

// Whether `id` is selected by the globs and categories (empty lists select everything).
bool Selected(const RunOptions& options, std::string_view id, std::string_view category);

}  // namespace vxp::harness

#endif  // VXP_HARNESS_CONFIG_H_
