// LIFECYCLE-ORDER: the statuses of one document follow the state machine of edxml.md §4; 05 may
// repeat.
#include "conformance/common.h"

namespace vxp::conformance {

Scenario LifecycleOrder() {
  return {
      .id = "LIFECYCLE-ORDER",
      .title = "Statuses follow the lifecycle: 01, 03, 04, 05 (repeated), 06",
      .category = "lifecycle",
      .claims = {"receive"},
      .requirements = {"LIFE-01-FIRST", "LIFE-02-03-EXCLUSIVE", "LIFE-ORDER", "LIFE-DUPLICATE",
                       "LIFE-05-REPEAT", "LIFE-TERMINAL", "API-FETCH", "RECV-01-AT-ONCE",
                       "RECV-ACCEPT-VALID"},
      .description =
          "A valid document is accepted; the SUT is then made to assign it (04), process it twice "
          "(05, 05) and finish it (06). Every status it sends about the document is judged by the "
          "lifecycle state machine, and nothing may follow 06.",
      .needs_control = true,
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            auto id = ExpectAccepted(ctx, "document.xml", p);
            if (!id) return;
            const std::string& sender = ctx.peer();
            const auto budget = ctx.ForAction(ctx.deadlines().answer);
            for (const char* code : {"04", "05", "05", "06"}) {
              size_t before = 0;
              for (const std::string& c : ctx.Codes(*id, sender)) before += c == code;
              auto r = ctx.control()->Advance(*id, sender, code, "");
              if (!r && ctx.RefusedBySystem(r.error(), std::string("send status ") + code)) return;
              if (!r)
                ctx.Step(std::string("the control refused ") + code + ": " + r.error().message);
              bool sent = ctx.WaitFor(std::string("status ") + code, budget, [&] {
                size_t now = 0;
                for (const std::string& c : ctx.Codes(*id, sender)) now += c == code;
                return now > before;
              });
              if (!sent) {
                ctx.MissedDeadline("LIFE-ORDER", "answer", budget,
                                   std::string("status ") + code + " after it was asked for",
                                   Seen(ctx));
                return;
              }
            }
            ctx.Linger(ctx.deadlines().quiet, [id = *id, sender](Context& ctx) {
              std::string codes = JudgeLifecycle(ctx, id, sender, "");
              ctx.Step("statuses in order: " + codes);
            });
          },
  };
}

}  // namespace vxp::conformance
