// INBOUND-BAD-DATE: A document with a malformed date is rejected with a reason (edxml.md; the rule
// EDXML-HDR-1.4-DATE).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario InboundBadDate() {
  return {
      .id = "INBOUND-BAD-DATE",
      .title = "A document with a malformed date is rejected with a reason",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-REJECT-INVALID", "LIFE-REASON", "API-FETCH"},
      .description =
          "A peer sends a document whose PromulgationDate is 2026-11-20 instead of the form "
          "yyyy/MM/dd. The SUT must answer 02 with a reason, never 03.",
      .run =
          [](Context& ctx) {
            edxml::Package p = BadDateDocument(ctx);
            ExpectRejected(ctx, "bad-date.xml", ctx.Bytes(p), p.document()->document_id,
                           "EDXML-HDR-1.4-DATE", "RECV-REJECT-INVALID");
          },
  };
}

}  // namespace vxp::conformance
