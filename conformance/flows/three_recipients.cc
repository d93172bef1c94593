// FLOW-THREE-RECIPIENTS: a document with several recipients is answered by each for itself
// (hub-api.md §5 fan-out).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario FlowThreeRecipients() {
  return {
      .id = "FLOW-THREE-RECIPIENTS",
      .title = "A document to three agencies is answered for the SUT's agency only",
      .category = "flows",
      .claims = {"receive"},
      .requirements = {"RECV-01-AT-ONCE", "RECV-ACCEPT-VALID", "LIFE-WRONG-PARTY", "API-FETCH"},
      .description =
          "A valid document addressed to the SUT's agency and two others is sent; the hub gives "
          "each its own copy. The SUT must answer 01 and 03 once, as its own agency, and not on "
          "behalf of the other recipients.",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument({ctx.sut_agency(), ctx.peer(1), ctx.peer(2)});
            auto id = ExpectAccepted(ctx, "three-recipients.xml", p);
            if (!id) return;
            ctx.Linger(ctx.deadlines().quiet, [id = *id](Context& ctx) {
              int arrived = 0;
              for (const harness::SutStatus& s : ctx.Statuses(id)) {
                arrived += s.code == "01";
                if (s.from != ctx.sut_agency()) {
                  ctx.Fail("LIFE-WRONG-PARTY", "a status was sent as another recipient",
                           "From/OrganId " + ctx.sut_agency(), s.code + " from " + s.from);
                }
              }
              if (arrived != 1) {
                ctx.Fail("RECV-01-AT-ONCE", "01 was not sent exactly once", "one 01",
                         std::to_string(arrived) + " × 01");
              }
            });
          },
  };
}

}  // namespace vxp::conformance
