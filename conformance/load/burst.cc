// LOAD-BURST: a sudden burst does not make the SUT lose or double a document, and it catches up
// (vxpkit load requirements LOAD-INTEGRITY, LOAD-LATENCY, LOAD-ERRORS; docs/load.md).
#include "conformance/load/load.h"

namespace vxp::conformance {

Scenario LoadBurst() {
  return {
      .id = "LOAD-BURST",
      .title = "The SUT absorbs a burst of documents and catches up",
      .category = "load",
      .claims = {"receive"},
      .requirements = {"LOAD-INTEGRITY", "LOAD-LATENCY", "LOAD-ERRORS"},
      .description =
          "Documents arrive at a low Poisson rate, then in a short burst many times higher (the "
          "morning's batch of a whole province), then at the low rate again (the profile's "
          "'burst' shape). Every document must still get exactly one 01 and a 03 and be "
          "acknowledged, and the p99 times to 01 and to 02/03 over the burst and the recovery "
          "must stay within the profile's bounds.",
      .run = [](Context& ctx) { RunLoad(ctx, ctx.world().profile.load.burst); },
  };
}

}  // namespace vxp::conformance
