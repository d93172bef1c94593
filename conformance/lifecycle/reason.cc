// LIFECYCLE-REASON: statuses 02, 13 and 16 carry a reason (edxml.md §4, §8.5).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario LifecycleReason() {
  return {
      .id = "LIFECYCLE-REASON",
      .title = "A rejection (02) carries its reason",
      .category = "lifecycle",
      .claims = {"receive"},
      .requirements = {"LIFE-REASON", "API-FETCH"},
      .description =
          "A document with a malformed date is sent; the SUT must reject it with 02 whose "
          "Description says why.",
      .run =
          [](Context& ctx) {
            edxml::Package p = BadDateDocument(ctx);
            if (!SendAndAwaitAnswer(ctx, "bad-date.xml", p, "LIFE-REASON",
                                    "02 (rejected) with a reason"))
              return;
            JudgeLifecycle(ctx, p.document()->document_id, "", "LIFE-REASON");
            ctx.Step(Seen(ctx));
          },
  };
}

}  // namespace vxp::conformance
