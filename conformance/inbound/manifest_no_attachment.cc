// INBOUND-MANIFEST-NO-ATTACHMENT: A manifest entry without its attachment is rejected (edxml.md;
// the rule EDXML-ATT-6-MATCH).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario InboundManifestNoAttachment() {
  return {
      .id = "INBOUND-MANIFEST-NO-ATTACHMENT",
      .title = "A manifest entry without its attachment is rejected",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-REJECT-INVALID", "LIFE-REASON", "API-FETCH"},
      .description =
          "A peer sends a document whose manifest lists an attachment that is not in the package "
          "(the attachment carries another ContentId). The SUT must answer 02 with a reason, never "
          "03.",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            p.attachments.front().content_id = "cid:vxpkit-other-file";
            ExpectRejected(ctx, "manifest-without-attachment.xml", ctx.Bytes(p),
                           p.document()->document_id, "EDXML-ATT-6-MATCH", "RECV-REJECT-INVALID");
          },
  };
}

}  // namespace vxp::conformance
