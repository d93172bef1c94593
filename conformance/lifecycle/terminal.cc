// LIFECYCLE-TERMINAL: nothing follows a terminal status (edxml.md §4).
#include "conformance/common.h"
#include "core/lifecycle/lifecycle.h"

namespace vxp::conformance {

Scenario LifecycleTerminal() {
  return {
      .id = "LIFECYCLE-TERMINAL",
      .title = "Nothing follows 02 (rejected)",
      .category = "lifecycle",
      .requirements = {"LIFE-TERMINAL"},
      .description =
          "A document with a malformed date is sent; after the SUT rejects it (02), the harness "
          "watches the quiet window: no status may follow a terminal 02.",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            std::string date = p.document()->promulgation_info.promulgation_date;
            std::replace(date.begin(), date.end(), '/', '-');
            p.document()->promulgation_info.promulgation_date = date;
            const std::string id = p.document()->document_id;
            auto d = ctx.Send("bad-date.xml", ctx.Bytes(p));
            if (!d || !AwaitFetch(ctx, *d, "the document")) return;
            const auto& dl = ctx.deadlines();
            if (!AwaitCode(ctx, id, ctx.peer(), {"02", "03"}, "arrived + answer",
                           dl.arrived + dl.answer)) {
              ctx.MissedDeadline("LIFE-TERMINAL", "arrived + answer", dl.arrived + dl.answer,
                                 "02 (rejected), then nothing", Seen(ctx));
              return;
            }
            ctx.Watch(dl.quiet);
            lifecycle::Tracker tracker(id, ctx.peer(), ctx.sut_agency());
            for (const harness::SutStatus& s : ctx.Statuses(id)) {
              if (!s.accepted) continue;
              for (Finding& f : tracker.Feed({s.code, s.from, s.to, s.description})) {
                if (f.rule_id == "LIFE-TERMINAL") ctx.AddFindings({f}, "status " + s.code);
              }
            }
            ctx.Step(Seen(ctx));
          },
  };
}

}  // namespace vxp::conformance
