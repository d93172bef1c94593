// OUTBOUND-VALID: documents the SUT sends conform to edXML (edxml.md §1-6).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario OutboundValid() {
  return {
      .id = "OUTBOUND-VALID",
      .title = "A document the SUT sends is valid (schema, rules, agency identifiers)",
      .category = "outbound",
      .claims = {"send"},
      .requirements = {"SEND-VALID"},
      .description =
          "The SUT is asked to send a new document to a peer. The package it submits is judged by "
          "vxpkit's validator in strict mode: XSD, the edXML rules, agency identifiers.",
      .needs_control = true,
      .needs_outbound = true,
      .run =
          [](Context& ctx) {
            auto p = AskToSend(ctx, {ctx.peer()}, "SEND-VALID");
            if (!p) return;
            // The same judgement every scenario gets for every package the SUT submits.
            ctx.JudgeSubmitted();
            ctx.Step("vxpkit's validator judged the SUT's document (exchange #" +
                     std::to_string(p->seq) + ")");
          },
  };
}

}  // namespace vxp::conformance
