// What `vxpkit hub` runs with: the hub's configuration, the systems it knows, the faults in force,
// the directory file and TLS files — from a JSON settings file (`--config`) and from command-line
// forms. Pure parsing; no files are read here.
//
// Settings file (every key optional):
//   {
//     "relay": "verbatim" | "reserialize",
//     "policy": "accept" | "warn" | "reject",
//     "maxSkewSeconds": 900,            // timestamp freshness; 0 = off
//     "maxPackageBytes": 104857600,
//     "utcOffsetMinutes": 420,          // the zone(s) of the SDK's timestamps: a number or a list;
//                                       // default [420, the host's zone] (DefaultTimestampZones)
//     "systems": [{"id": "00.53.W00", "secret": "…", "agencies": ["000.00.00.H53"]}],
//     "faults": ["latency,op=getEdoc,ms=500"],   // faults.h form
//     "directory": "agencies.tsv",      // directory.h form; default: the built-in one
//     "tls": {"cert": "hub.crt", "key": "hub.key"},
//     // Hostile clients (docs/hub-simulator.md): limits on work, memory and connections.
//     "maxElements": 100000,            // elements per package, counted before parsing
//     "replayCapacity": 250000,         // signed requests remembered against replay
//     "workers": 16, "bulkWorkers": 2,  // handler threads: small requests, bodies over 1 MiB
//     "bodyBudgetBytes": 536870912,     // request bodies in flight, all connections together
//     "maxConnections": 1000            // lowered to what the open-file limit allows
//   }
#ifndef VXP_SIMULATOR_HUB_SETTINGS_H_
#define VXP_SIMULATOR_HUB_SETTINGS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.h"
#include "simulator/hub/faults.h"
#include "simulator/hub/hub.h"

namespace vxp::hub {

struct SystemSpec {
  System system;
  std::vector<std::string> agencies;
};

// **Decision** (docs/hub-simulator.md, "Time zones"): the SDK writes its timestamp in the JVM's
// local time with no zone, and containers and CI runners default to UTC. A timestamp is accepted
// when it is fresh read as UTC+7 (Vietnam, the hub's own zone) or as this host's zone, so the
// unchanged SDK works on a machine in UTC beside the hub. {420} when the host is in UTC+7.
std::vector<int> DefaultTimestampZones();
// This host's offset from UTC in minutes at `unix_seconds` (localtime: the TZ variable, else
// /etc/localtime).
int HostUtcOffsetMinutes(std::int64_t unix_seconds);

// The HTTP adapter's limits (http::ServerOptions), as the settings file names them.
struct ServerLimits {
  int workers = 16;
  int bulk_workers = 2;
  std::uint64_t body_budget = std::uint64_t{512} << 20;
  int max_connections = 1000;
};

struct HubSettings {
  HubConfig config = [] {
    HubConfig c;
    c.utc_offsets_minutes = DefaultTimestampZones();
    return c;
  }();
  std::vector<SystemSpec> systems;
  std::vector<Fault> faults;
  std::string directory_file;  // "" = DefaultDirectory()
  std::string tls_cert_file, tls_key_file;
  ServerLimits limits;
};

// The documented demo system `vxpkit hub` registers when no system is given.
inline constexpr std::string_view kDemoSystemId = "vxpkit-demo";
inline constexpr std::string_view kDemoSecret = "vxpkit-demo-secret";
SystemSpec DemoSystem();  // owns 000.00.00.G22 and 000.00.00.H53

// "ID:SECRET:ORGANID[,ORGANID…]". Error "settings.system" saying which part is missing or which
// identifier is not of the strict QCVN 102 form.
Result<SystemSpec> ParseSystemSpec(std::string_view text);

// Reads a settings file's text over `base` (keys present replace base's values; systems and
// faults are appended). Error "settings.json" naming the key and what is wrong with it.
Result<HubSettings> ParseHubSettings(std::string_view json, HubSettings base = {});

// "verbatim"/"reserialize", "accept"/"warn"/"reject"; nullopt for anything else.
std::optional<RelayMode> ParseRelayMode(std::string_view text);
std::optional<SubmitPolicy> ParseSubmitPolicy(std::string_view text);

}  // namespace vxp::hub

#endif  // VXP_SIMULATOR_HUB_SETTINGS_H_
