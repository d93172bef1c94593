// INBOUND-PROD-EMPTY-ELEMENTS: a valid document with the empty elements the VNPT library writes is
// accepted (production-shaped inbound; hub-api.md §5). A SUT that rejects what production delivers
// fails, naming the shape.
#include "conformance/common.h"

namespace vxp::conformance {

Scenario ProdEmptyElements() {
  return {
      .id = "INBOUND-PROD-EMPTY-ELEMENTS",
      .title = "A valid document with the empty elements the VNPT library writes is accepted",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-PRODUCTION-SHAPES", "API-FETCH", "RECV-01-AT-ONCE",
                       "RECV-ACCEPT-VALID"},
      .description =
          "A peer's valid document reaches the SUT with the empty optional elements the "
          "live hub's re-serialisation writes: <DueDate/>, <ResponseFor/> (observed: live "
          "hub). They say nothing; the SUT must accept the document (01, then 03).",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            p.document()->due_date.reset();  // written back empty by the relay
            ExpectProductionShapeAccepted(ctx, "empty-elements.xml", p, {.empty_elements = true});
          },
  };
}

}  // namespace vxp::conformance
