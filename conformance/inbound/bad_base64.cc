// INBOUND-BAD-BASE64: An attachment that is not valid base64 is rejected (edxml.md; the rule
// EDXML-ATT-6-BASE64).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario InboundBadBase64() {
  return {
      .id = "INBOUND-BAD-BASE64",
      .title = "An attachment that is not valid base64 is rejected",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-REJECT-INVALID", "LIFE-REASON", "API-FETCH"},
      .description =
          "A peer sends a document whose attachment content is not decodable base64. The SUT must "
          "answer 02 with a reason, never 03.",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            // A leading "%" is outside the base64 alphabet.
            edxml::SharedText& content = p.attachments.front().content_base64;
            content = "%" + content.str();
            ExpectRejected(ctx, "bad-base64.xml", ctx.Bytes(p), p.document()->document_id,
                           "EDXML-ATT-6-BASE64", "RECV-REJECT-INVALID");
          },
  };
}

}  // namespace vxp::conformance
