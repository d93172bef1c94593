// LIFECYCLE-REASON: statuses 02, 13 and 16 carry a reason (edxml.md §4, §8.5).
#include "conformance/common.h"
#include "core/lifecycle/lifecycle.h"

namespace vxp::conformance {

Scenario LifecycleReason() {
  return {
      .id = "LIFECYCLE-REASON",
      .title = "A rejection (02) carries its reason",
      .category = "lifecycle",
      .requirements = {"LIFE-REASON"},
      .description =
          "A document with a malformed date is sent; the SUT must reject it with 02 whose "
          "Description says why.",
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
              ctx.MissedDeadline("LIFE-REASON", "arrived + answer", dl.arrived + dl.answer,
                                 "02 (rejected) with a reason", Seen(ctx));
              return;
            }
            lifecycle::Tracker tracker(id, ctx.peer(), ctx.sut_agency());
            for (const harness::SutStatus& s : ctx.Statuses(id)) {
              if (!s.accepted) continue;
              for (Finding& f : tracker.Feed({s.code, s.from, s.to, s.description})) {
                if (f.rule_id == "LIFE-REASON") ctx.AddFindings({f}, "status " + s.code);
              }
            }
            ctx.Step(Seen(ctx));
          },
  };
}

}  // namespace vxp::conformance
