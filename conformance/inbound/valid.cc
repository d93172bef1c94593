// INBOUND-VALID: a conforming document is fetched, answered 01 at once and then 03 (edxml.md §4;
// hub-api.md §4.4).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario InboundValid() {
  return {
      .id = "INBOUND-VALID",
      .title = "A valid document is fetched, answered 01 (arrived), then 03 (accepted)",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"API-FETCH", "RECV-01-AT-ONCE", "RECV-ACCEPT-VALID", "LIFE-01-FIRST"},
      .description =
          "A peer sends the SUT a conforming document with a signed PDF. The SUT must "
          "fetch it (fetch deadline), send 01 to the sender (arrived deadline), then "
          "03 (answer deadline), and never 02.",
      .run = [](Context& ctx) { ExpectAccepted(ctx, "document.xml", ctx.NewDocument()); },
  };
}

}  // namespace vxp::conformance
