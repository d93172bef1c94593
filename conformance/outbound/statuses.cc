// OUTBOUND-STATUSES: the SUT follows its documents: it fetches and acknowledges their statuses
// (hub-api.md §4).
#include "conformance/common.h"
#include "core/common/datetime.h"
#include "core/edxml/validate.h"
#include "core/signing/trust.h"
#include "core/signing/verify.h"

namespace vxp::conformance {

Scenario OutboundStatuses() {
  return {
      .id = "OUTBOUND-STATUSES",
      .title = "The SUT fetches and acknowledges the statuses its document receives",
      .category = "outbound",
      .requirements = {"SEND-FOLLOW-STATUS", "API-POLL-BOTH", "API-ACK"},
      .description =
          "The SUT is asked to send a document to a peer, which answers 01, 03, 04, 05 and 06. The "
          "SUT must fetch and acknowledge each of those status messages.",
      .needs_control = true,
      .needs_outbound = true,
      .run =
          [](Context& ctx) {
            wire::Millis since = ctx.Now();
            auto p = AskToSend(ctx, {ctx.peer()}, "SEND-FOLLOW-STATUS");
            if (!p || !p->accepted) {
              if (p)
                ctx.Fail("SEND-FOLLOW-STATUS", "the hub refused the SUT's document", "ErrorCode 0",
                         "ErrorCode " + p->error_code);
              return;
            }
            const auto& dl = ctx.deadlines();
            auto budget = dl.fetch + dl.ack + 10 * dl.peer_poll;
            bool all = ctx.WaitFor("the SUT to acknowledge 5 statuses", budget, [&] {
              auto items = StatusItemsToSut(ctx, since);
              return items.size() >= 5 && std::all_of(items.begin(), items.end(), [](auto& d) {
                       return d.status == "done" || d.status == "fail";
                     });
            });
            auto items = StatusItemsToSut(ctx, since);
            int acked = 0;
            for (const hub::Delivery& d : items) acked += d.status == "done" || d.status == "fail";
            ctx.Step(std::to_string(items.size()) + " status messages for the SUT, " +
                     std::to_string(acked) + " acknowledged");
            if (!all) {
              ctx.MissedDeadline("SEND-FOLLOW-STATUS", "fetch + ack", budget,
                                 "the 5 statuses of the peer (01 03 04 05 06) fetched and "
                                 "acknowledged",
                                 std::to_string(items.size()) + " delivered, " +
                                     std::to_string(acked) + " acknowledged");
            }
          },
  };
}

}  // namespace vxp::conformance
