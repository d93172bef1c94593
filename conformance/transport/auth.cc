// TRANSPORT-AUTH: the SUT polls the hub with valid credentials (hub-api.md §2). The run's sanity
// check: it runs first and last, and when it fails the run stops with a diagnosis — nothing
// reached the hub, an unknown system id, a wrong secret (HMAC), a clock off by minutes — instead
// of failing every scenario after it.
#include <cstdlib>
#include <map>

#include "conformance/common.h"
#include "core/wire/wire.h"

namespace vxp::conformance {
namespace {

// Whether the hub refused a request for its credentials (docs/hub-errors.md 1001-1007): the
// headers are missing, the system unknown, the HMAC wrong, or the timestamp unusable.
bool IsCredentialError(const std::string& code) {
  return code.size() == 4 && code >= "1001" && code <= "1007";
}

// Why the SUT's requests did not authenticate, from what reached the hub.
std::string Diagnose(Context& ctx, const std::vector<harness::Exchange>& exchanges) {
  const harness::SutConfig& sut = ctx.world().sut;
  if (exchanges.empty()) {
    return "no request reached the hub at " + ctx.world().hub_url +
           ": is the SUT running, and configured with this hub URL (operations under "
           "/XrdAdapter/adapter/)?";
  }
  std::map<std::string, const harness::Exchange*> by_code;
  for (const harness::Exchange& x : exchanges) by_code.emplace(x.error_code, &x);
  if (auto it = by_code.find("1002"); it != by_code.end()) {
    return "the SUT calls itself '" + it->second->claimed_system +
           "', but the SUT file says its system id is '" + sut.system_id + "'";
  }
  if (by_code.contains("1003")) {
    return "the HMAC of its requests does not verify: the secret it uses is not the SUT file's "
           "(XroadVnpt-hash-header must be HMAC-SHA256 of the sign-header with that secret)";
  }
  for (const char* code : {"1006", "1007"}) {
    if (auto it = by_code.find(code); it != by_code.end()) {
      const harness::Exchange& x = *it->second;
      if (wire::ParseTimestamp(x.Param("timestamp"))) {
        // The hub's detail names the skew in each zone it accepts.
        return "the SUT's timestamps are not fresh in any zone the hub accepts (" + x.detail +
               "): set its clock (NTP); if its SDK runs in another zone, give that zone as "
               "hub.utcOffsetMinutes in the SUT file (the SDK writes the JVM's local time)";
      }
      return "its timestamp '" + x.Param("timestamp") +
             "' is not the SDK's form ddMMyyyy'T'HHmmss'+'SSSS";
    }
  }
  const harness::Exchange& first = *by_code.begin()->second;
  if (first.error_code == "0") {
    return "its requests authenticate, but it never lists its pending items "
           "(getReceivedEdocList); it called " +
           first.operation;
  }
  return "its requests fail with ErrorCode " + first.error_code + " (" + first.detail +
         "), docs/hub-errors.md says what each code means";
}

}  // namespace

Scenario TransportAuth() {
  return {
      .id = "TRANSPORT-AUTH",
      .title = "The SUT polls the hub with valid credentials",
      .category = "transport",
      .requirements = {"API-AUTH"},
      .description =
          "Waits for the SUT to list its pending items (getReceivedEdocList) with headers that "
          "authenticate: its system id, an HMAC-SHA256 made with its secret, a fresh timestamp. "
          "This is the run's sanity check: when it fails, the run stops with a diagnosis.",
      .sanity = true,
      .run =
          [](Context& ctx) {
            const std::string& system = ctx.world().sut.system_id;
            bool refused = false;
            auto polled = [&] {
              for (const harness::Exchange& x : ctx.Exchanges()) {
                if (x.system_id == system && x.operation == "getReceivedEdocList" &&
                    x.error_code == "0") {
                  return true;
                }
                refused = refused || IsCredentialError(x.error_code);
              }
              return refused;  // a wrong secret does not get better by waiting
            };
            if (ctx.WaitFor("an authenticated poll", ctx.deadlines().sanity, polled) && !refused) {
              ctx.Step("the SUT polled with valid credentials");
              return;
            }
            if (refused) {
              ctx.Fail("API-AUTH",
                       "the hub refused the SUT's credentials: " + Diagnose(ctx, ctx.Exchanges()),
                       "an authenticated getReceivedEdocList from " + system,
                       "refused at once; the run does not wait out the " +
                           FormatDuration(ctx.deadlines().sanity) + " sanity deadline");
              return;
            }
            ctx.MissedDeadline("API-AUTH", "sanity", ctx.deadlines().sanity,
                               "an authenticated getReceivedEdocList from " + system,
                               Diagnose(ctx, ctx.Exchanges()));
          },
  };
}

}  // namespace vxp::conformance
