// LIFECYCLE-TERMINAL: nothing follows a terminal status (edxml.md §4).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario LifecycleTerminal() {
  return {
      .id = "LIFECYCLE-TERMINAL",
      .title = "Nothing follows 02 (rejected)",
      .category = "lifecycle",
      .claims = {"receive"},
      .requirements = {"LIFE-TERMINAL", "API-FETCH"},
      .description =
          "A document with a malformed date is sent; after the SUT rejects it (02), the harness "
          "watches the quiet window: no status may follow a terminal 02.",
      .run =
          [](Context& ctx) {
            edxml::Package p = BadDateDocument(ctx);
            if (!SendAndAwaitAnswer(ctx, "bad-date.xml", p, "LIFE-TERMINAL",
                                    "02 (rejected), then nothing"))
              return;
            ctx.Linger(ctx.deadlines().quiet, [id = p.document()->document_id](Context& ctx) {
              JudgeLifecycle(ctx, id, "", "LIFE-TERMINAL");
              ctx.Step(Seen(ctx));
            });
          },
  };
}

}  // namespace vxp::conformance
