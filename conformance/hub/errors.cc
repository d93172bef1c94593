// HUB-ERRORS: hub errors do not make the SUT lose a document (hub-api.md §4; vxpkit robustness
// requirement).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario HubErrors() {
  return {
      .id = "HUB-ERRORS",
      .title = "The SUT copes with hub errors and loses nothing",
      .category = "hub",
      .claims = {"receive"},
      .requirements = {"API-RETRY"},
      .description =
          "The hub answers the SUT's first listing with HTTP 503 and its first fetch with "
          "ErrorCode 5001. The SUT must try again on its next poll and answer the document 01 and "
          "03 once: nothing lost.",
      .run =
          [](Context& ctx) {
            const std::string system = ctx.world().sut.system_id;
            ExpectAnsweredOnceDespite(
                ctx,
                {"error,op=getReceivedEdocList,system=" + system + ",http=503,times=1",
                 "error,op=getEdoc,system=" + system + ",times=1"},
                "API-RETRY");
          },
  };
}

}  // namespace vxp::conformance
