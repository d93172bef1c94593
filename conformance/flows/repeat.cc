// FLOW-REPEAT: a repeated document is registered once (edxml.md §4, §8.6).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario FlowRepeat() {
  return {
      .id = "FLOW-REPEAT",
      .title = "A document sent twice is registered once",
      .category = "flows",
      .claims = {"receive"},
      .requirements = {"RECV-REPEAT-ONCE", "LIFE-DUPLICATE", "API-FETCH"},
      .description =
          "The same document (same sender and DocumentId) is sent twice, as a sender retrying "
          "after a lost answer would. The SUT must acknowledge both deliveries but register it "
          "once: one 01 and one 03.",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            const std::string id = p.document()->document_id;
            std::string bytes = ctx.Bytes(p);
            auto first = ctx.Send("document.xml", bytes);
            if (!first || !AwaitFetch(ctx, *first, "the document")) return;
            const auto& dl = ctx.deadlines();
            AwaitCode(ctx, id, ctx.peer(), {"02", "03"}, "arrived + answer",
                      dl.arrived + dl.answer);
            auto second = ctx.Send("document-again.xml", bytes);
            if (!second || !AwaitFetch(ctx, *second, "the repeated document")) return;
            ctx.WaitFor("the repeat's acknowledgement", dl.ack, [&] {
              auto x = ctx.Delivery(*second);
              return x && (x->status == "done" || x->status == "fail");
            });
            ctx.Linger(dl.quiet, [id, second = *second](Context& ctx) {
              std::vector<std::string> codes = ctx.Codes(id, ctx.peer());
              int arrived = CountOf(codes, "01"), accepted = CountOf(codes, "03");
              ctx.Step(Seen(ctx));
              if (arrived > 1 || accepted > 1) {
                ctx.Fail("RECV-REPEAT-ONCE", "the repeated document was registered again",
                         "one 01 and one 03 in all",
                         std::to_string(arrived) + " × 01, " + std::to_string(accepted) + " × 03");
              }
              auto x = ctx.Delivery(second);
              if (!x || (x->status != "done" && x->status != "fail")) {
                ctx.Fail("RECV-REPEAT-ONCE", "the repeated delivery was not acknowledged",
                         "updateStatus done for the repeat",
                         NotAcknowledged(ctx, second, x ? x->status : ""));
              }
            });
          },
  };
}

}  // namespace vxp::conformance
