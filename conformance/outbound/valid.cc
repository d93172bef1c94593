// OUTBOUND-VALID: documents the SUT sends conform to edXML (edxml.md §1-6).
#include "conformance/common.h"
#include "core/common/datetime.h"
#include "core/edxml/validate.h"
#include "core/signing/trust.h"
#include "core/signing/verify.h"

namespace vxp::conformance {

Scenario OutboundValid() {
  return {
      .id = "OUTBOUND-VALID",
      .title = "A document the SUT sends is valid (schema, rules, agency identifiers)",
      .category = "outbound",
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
            edxml::ValidateOptions o;
            o.rules.today = ParseEdxmlDate(FormatEdxmlDate(CivilTime(ctx.Now() / 1000, 420).date));
            edxml::Judgement j = edxml::Validate(p->bytes, o);
            ctx.AddFindings(j.findings, "the SUT's document");
            ctx.Step("vxpkit's validator: " + std::string(ToString(j.verdict)));
          },
  };
}

}  // namespace vxp::conformance
