// FLOW-REVOKE: a revoke document is answered 15 or 16 (edxml.md §3, §4).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario FlowRevoke() {
  return {
      .id = "FLOW-REVOKE",
      .title = "A revoke of an accepted document is answered 15 or 16",
      .category = "flows",
      .claims = {"receive", "revoke"},
      .requirements = {"RECV-REQUEST-ANSWER", "LIFE-CANCELLED", "LIFE-REASON", "API-FETCH",
                       "RECV-01-AT-ONCE", "RECV-ACCEPT-VALID"},
      .description =
          "A valid document is accepted; the sender then revokes it (BussinessDocType 1). The SUT "
          "must answer the revoke with 01 then 15 (agreed) or 16 (refused, with a reason); after "
          "15, nothing more about the revoked document (no 04-06).",
      .run = [](Context& ctx) { ExpectRequestAnswered(ctx, 1); },
  };
}

}  // namespace vxp::conformance
