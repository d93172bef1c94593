// FLOW-RECALL: a recall request is answered (edxml.md §4: 13 → 15 or 16).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario FlowRecall() {
  return {
      .id = "FLOW-RECALL",
      .title = "A recall (13) is answered 15 or 16",
      .category = "flows",
      .claims = {"receive", "recall"},
      .requirements = {"RECV-RECALL-ANSWER", "LIFE-REASON", "LIFE-CANCELLED", "API-FETCH",
                       "RECV-01-AT-ONCE", "RECV-ACCEPT-VALID"},
      .description =
          "A valid document is accepted; the sender then asks for it back with status 13 (and a "
          "reason). The SUT must answer 15 (agreed) or 16 (refused, with a reason); after 15, "
          "nothing more about the recalled document (no 04-06).",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            auto id = ExpectAccepted(ctx, "document.xml", p);
            if (!id) return;
            const edxml::DocumentHeader& doc = *p.document();
            edxml::Package recall =
                ctx.Status("13", ctx.peer(), ctx.sut_agency(), *id,
                           doc.code.code_number + "/" + doc.code.code_notation, "Gửi nhầm đơn vị");
            auto d = ctx.Send("recall-13.xml", ctx.Bytes(recall), "status");
            if (!d || !AwaitFetch(ctx, *d, "the recall")) return;
            if (!AwaitCode(ctx, *id, ctx.peer(), {"15", "16"}, "answer", ctx.deadlines().answer)) {
              ctx.MissedDeadline("RECV-RECALL-ANSWER", "answer", ctx.deadlines().answer,
                                 "15 (recall agreed) or 16 (refused, with a reason)", Seen(ctx));
              return;
            }
            std::optional<harness::SutStatus> agreed;
            for (const harness::SutStatus& s : ctx.Statuses(*id)) {
              if (!s.accepted || s.to != ctx.peer()) continue;
              if (s.code == "16" && s.description.empty()) {
                ctx.Fail("LIFE-REASON", "16 (recall refused) carries no reason",
                         "a reason in Description", "an empty Description", "Status/Description");
              }
              if (s.code == "15" && !agreed) agreed = s;
            }
            if (agreed) {
              ExpectNothingAfterCancel(ctx, *id, *agreed, "recall");
            } else {
              ctx.Step(Seen(ctx));
            }
          },
  };
}

}  // namespace vxp::conformance
