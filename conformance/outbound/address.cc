// OUTBOUND-ADDRESS: documents the SUT sends name their sender and recipients correctly (edxml.md
// §2; hub-api.md §3).
#include "conformance/common.h"
#include "core/common/datetime.h"
#include "core/edxml/validate.h"
#include "core/signing/trust.h"
#include "core/signing/verify.h"

namespace vxp::conformance {

Scenario OutboundAddress() {
  return {
      .id = "OUTBOUND-ADDRESS",
      .title = "A document the SUT sends is addressed as asked",
      .category = "outbound",
      .claims = {"send"},
      .requirements = {"SEND-ADDRESS"},
      .description =
          "The SUT is asked to send a new document to a peer. MessageHeader/From must be the SUT's "
          "agency, To exactly the requested recipient, and the hub must have taken it.",
      .needs_control = true,
      .needs_outbound = true,
      .run =
          [](Context& ctx) {
            auto p = AskToSend(ctx, {ctx.peer()}, "SEND-ADDRESS");
            if (!p) return;
            const edxml::DocumentHeader* d = p->package ? p->package->document() : nullptr;
            if (d == nullptr) {
              ctx.Fail("SEND-ADDRESS", "the submitted package is not a readable document",
                       "an edXML document", "unreadable");
              return;
            }
            if (d->from.organ_id != ctx.sut_agency()) {
              ctx.Fail("SEND-ADDRESS", "From is not the SUT's agency", ctx.sut_agency(),
                       d->from.organ_id,
                       "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/From/OrganId");
            }
            std::vector<std::string> to;
            for (const auto& t : d->to) to.push_back(t.organ_id);
            if (to != std::vector<std::string>{ctx.peer()}) {
              std::string got;
              for (const std::string& t : to) got += (got.empty() ? "" : ", ") + t;
              ctx.Fail("SEND-ADDRESS", "To is not the requested recipient", ctx.peer(), got,
                       "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/To/OrganId");
            }
            if (!p->accepted) {
              ctx.Fail("SEND-ADDRESS", "the hub refused the document", "ErrorCode 0",
                       "ErrorCode " + p->error_code);
            }
          },
  };
}

}  // namespace vxp::conformance
