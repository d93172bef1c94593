// INBOUND-PROD-REORDERED: a valid document with MessageHeader in the VNPT library's order is
// accepted (production-shaped inbound; hub-api.md §5). A SUT that rejects what production delivers
// fails, naming the shape.
#include "conformance/common.h"

namespace vxp::conformance {

Scenario ProdReordered() {
  return {
      .id = "INBOUND-PROD-REORDERED",
      .title = "A valid document with MessageHeader in the VNPT library's order is accepted",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-PRODUCTION-SHAPES", "API-FETCH", "RECV-01-AT-ONCE",
                       "RECV-ACCEPT-VALID"},
      .description =
          "A peer's valid document reaches the SUT as the live hub re-serialises it with "
          "the VNPT library: DocumentId first, Subject and Content after SignerInfo. Child "
          "order is not significant (QCVN 102:2016/BTTTT §1; observed: live hub). The SUT "
          "must accept it (01, then 03).",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            ExpectProductionShapeAccepted(ctx, "reordered.xml", p, {.reorder = true});
          },
  };
}

}  // namespace vxp::conformance
