// LOAD-STEADY: the SUT keeps up with "national peak ×10" and stays correct (vxpkit load
// requirements LOAD-INTEGRITY, LOAD-LATENCY, LOAD-ERRORS; docs/load.md).
#include "conformance/load/load.h"

namespace vxp::conformance {

Scenario LoadSteady() {
  return {
      .id = "LOAD-STEADY",
      .title = "The SUT keeps up with ten times the national peak and loses nothing",
      .category = "load",
      .claims = {"receive"},
      .requirements = {"LOAD-INTEGRITY", "LOAD-LATENCY", "LOAD-ERRORS"},
      .description =
          "Many mock agencies send the SUT's agencies valid signed documents at a steady rate "
          "(the profile's 'steady' shape: a warm-up, then ten times the national peak; open "
          "model, so a slow SUT cannot slow the senders down). Every document must get exactly "
          "one 01 and a 03, in a legal order, and be acknowledged; p99 time to 01 and to 02/03, "
          "measured from each document's intended send time, must stay within the profile's "
          "bounds, and the hub must refuse almost none of the SUT's requests.",
      .run = [](Context& ctx) { RunLoad(ctx, ctx.world().profile.load.steady); },
  };
}

}  // namespace vxp::conformance
