// TRANSPORT-FROM: what the SUT submits carries a `from` it owns and that equals the package's
// MessageHeader/From (hub-api.md §3): otherwise the hub refuses it (1008, 2010).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario TransportFrom() {
  return {
      .id = "TRANSPORT-FROM",
      .title = "The SUT's submissions name its agency as from, matching the package",
      .category = "transport",
      .claims = {"send"},
      .requirements = {"API-FROM"},
      .description =
          "The SUT is asked to send a document. Its sendEdoc must name one of its "
          "own agencies in its from header (XroadVnpt-from), the same as MessageHeader/From, so "
          "that the hub takes it.",
      .needs_control = true,
      .needs_outbound = true,
      .run =
          [](Context& ctx) {
            auto p = AskToSend(ctx, {ctx.peer()}, "API-FROM");
            if (!p) return;
            const auto& agencies = ctx.world().sut.agencies;
            std::string package_from = p->package && p->package->document()
                                           ? p->package->document()->from.organ_id
                                           : "(unreadable)";
            if (std::find(agencies.begin(), agencies.end(), p->from_header) == agencies.end()) {
              ctx.Fail("API-FROM", "the `from` header is not one of the SUT's agencies",
                       "one of the SUT's agencies", p->from_header, "XroadVnpt-from");
            }
            if (p->from_header != package_from) {
              ctx.Fail("API-FROM", "the `from` header differs from MessageHeader/From",
                       "from = MessageHeader/From/OrganId = " + p->from_header,
                       "MessageHeader/From/OrganId " + package_from +
                           (p->accepted ? "" : "; the hub refused it with " + p->error_code),
                       "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/From/OrganId");
            } else if (!p->accepted) {
              ctx.Fail("API-FROM", "the hub refused the submission", "ErrorCode 0",
                       "ErrorCode " + p->error_code);
            }
          },
  };
}

}  // namespace vxp::conformance
