// INBOUND-BAD-AGENCY-ID: A document carrying a malformed agency identifier is rejected (edxml.md;
// the rule AGENCY-5-FORMAT).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario InboundBadAgencyId() {
  return {
      .id = "INBOUND-BAD-AGENCY-ID",
      .title = "A document carrying a malformed agency identifier is rejected",
      .category = "inbound",
      .requirements = {"RECV-REJECT-INVALID", "LIFE-REASON"},
      .description =
          "A peer sends a document whose TraceHeader/OrganId is in a legacy form (00.00.G22 "
          "instead of 000.00.00.G22); the strict identifier form is a MUST (edxml.md §5). The SUT "
          "must answer 02 with a reason, never 03.",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            p.trace_header_list->trace_headers.front().organ_id = ctx.peer().substr(3);
            ExpectRejected(ctx, "bad-agency-id.xml", ctx.Bytes(p), p.document()->document_id,
                           "AGENCY-5-FORMAT", "RECV-REJECT-INVALID");
          },
  };
}

}  // namespace vxp::conformance
