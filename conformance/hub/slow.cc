// HUB-SLOW: a slow hub does not make the SUT lose a document (hub-api.md §4; vxpkit robustness
// requirement).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario HubSlow() {
  return {
      .id = "HUB-SLOW",
      .title = "The SUT copes with a slow hub and loses nothing",
      .category = "hub",
      .claims = {"receive"},
      .requirements = {"API-RETRY"},
      .description =
          "The hub delays the SUT's first two fetches by the profile's hub_latency (longer than "
          "many clients wait). The SUT must fetch the document again if it gave up, and answer 01 "
          "and 03 once: nothing lost, nothing doubled.",
      .run =
          [](Context& ctx) {
            const std::string system = ctx.world().sut.system_id;
            const std::string ms = std::to_string(ctx.deadlines().hub_latency.count());
            ExpectAnsweredOnceDespite(
                ctx, {"latency,op=getEdoc,system=" + system + ",ms=" + ms + ",times=2"},
                "API-RETRY");
          },
  };
}

}  // namespace vxp::conformance
