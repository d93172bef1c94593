// TRANSPORT-ACK: every fetched item is acknowledged with updateStatus (hub-api.md §4.3), so that
// it leaves the SUT's pending list.
#include "conformance/common.h"

namespace vxp::conformance {

Scenario TransportAck() {
  return {
      .id = "TRANSPORT-ACK",
      .title = "The SUT acknowledges a fetched document (updateStatus)",
      .category = "transport",
      .claims = {"receive"},
      .requirements = {"API-ACK", "API-FETCH"},
      .description =
          "A valid document is sent to the SUT. After fetching it, the SUT must "
          "acknowledge it with updateStatus done (or fail) within the ack deadline.",
      .run =
          [](Context& ctx) {
            auto d = ctx.Send("document.xml", ctx.Bytes(ctx.NewDocument()));
            if (!d || !AwaitFetch(ctx, *d, "the document")) return;
            std::string status;
            if (!AwaitAcknowledged(ctx, *d, "updateStatus", status)) {
              ctx.MissedDeadline("API-ACK", "ack", ctx.deadlines().ack,
                                 "updateStatus done for DocId " + std::to_string(d->delivery),
                                 NotAcknowledged(ctx, *d, status));
              return;
            }
            ctx.Step("the SUT acknowledged it: " + status);
          },
  };
}

}  // namespace vxp::conformance
