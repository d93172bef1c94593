// OUTBOUND-SIGNED: documents the SUT sends are signed (edxml.md §7).
#include "conformance/common.h"
#include "core/common/datetime.h"
#include "core/edxml/validate.h"
#include "core/signing/trust.h"
#include "core/signing/verify.h"

namespace vxp::conformance {

Scenario OutboundSigned() {
  return {
      .id = "OUTBOUND-SIGNED",
      .title = "A document the SUT sends is signed, and the signature verifies",
      .category = "outbound",
      .claims = {"send"},
      .requirements = {"SEND-SIGNED"},
      .description =
          "The SUT is asked to send a new document. Its PDF attachments must be signed, by a "
          "certificate that chains to the test PKI's root, valid now and not revoked; an envelope "
          "signature, when present, must verify.",
      .needs_control = true,
      .needs_outbound = true,
      .run =
          [](Context& ctx) {
            auto p = AskToSend(ctx, {ctx.peer()}, "SEND-SIGNED");
            if (!p) return;
            signing::SignaturePolicy policy;
            policy.verify.at = ctx.Now() / 1000;
            policy.require_signed_pdf = true;
            edxml::Judgement j = signing::Judge(p->bytes, {}, policy);
            std::vector<Finding> dsig;
            for (const Finding& f : j.findings) {
              if (f.rule_id.starts_with("DSIG-")) dsig.push_back(f);
            }
            ctx.AddFindings(dsig, "the SUT's document");
            ctx.Step(dsig.empty() ? "its signatures verify"
                                  : "signature findings: " + std::to_string(dsig.size()));
          },
  };
}

}  // namespace vxp::conformance
