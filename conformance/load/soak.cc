// LOAD-SOAK: hours of ordinary traffic without a leak, a lost document or a growing delay
// (vxpkit load requirements LOAD-INTEGRITY, LOAD-LATENCY, LOAD-ERRORS; docs/load.md).
#include "conformance/load/load.h"

namespace vxp::conformance {

Scenario LoadSoak() {
  return {
      .id = "LOAD-SOAK",
      .title = "The SUT stays correct and timely through a long run of ordinary traffic",
      .category = "load",
      .claims = {"receive"},
      .requirements = {"LOAD-INTEGRITY", "LOAD-LATENCY", "LOAD-ERRORS"},
      .description =
          "Documents arrive as a Poisson process at an ordinary rate for a long time (the "
          "profile's 'soak' shape: an hour in certification). A system that slowly leaks, "
          "whose queue slowly grows, or that drops a document now and then fails: every "
          "document must get exactly one 01 and a 03 and be acknowledged, within the profile's "
          "p99 bounds. The chart of time to 01 by send time shows a drift.",
      .run = [](Context& ctx) { RunLoad(ctx, ctx.world().profile.load.soak); },
  };
}

}  // namespace vxp::conformance
