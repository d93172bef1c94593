// TRANSPORT-NO-REFETCH: the SUT does not fetch the same item over and over (hub-api.md §4: an
// item stays listed until acknowledged; a client that never acknowledges re-fetches forever and
// loads the national hub).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario TransportNoRefetch() {
  return {
      .id = "TRANSPORT-NO-REFETCH",
      .title = "The SUT fetches each item a bounded number of times",
      .category = "transport",
      .claims = {"receive"},
      .requirements = {"API-NO-REFETCH", "API-FETCH"},
      .level = Level::kShould,
      .description =
          "A valid document is sent; after the SUT fetched it, the harness counts its fetches "
          "until the SUT acknowledges it (at most the ack deadline), then for the quiet window. "
          "More than two fetches of the same DocId means the SUT fetches it again and again "
          "(usually because it never acknowledges).",
      .run =
          [](Context& ctx) {
            auto d = ctx.Send("document.xml", ctx.Bytes(ctx.NewDocument()));
            if (!d || !AwaitFetch(ctx, *d, "the document")) return;
            // An item is listed, and so fetched again, until it is acknowledged: the count is
            // watched for as long as it stays listed (the ack deadline at most), then for the
            // quiet window after (a fetch by a DocId the SUT kept).
            std::string status;
            bool acked = AwaitAcknowledged(ctx, *d, "the acknowledgement", status);
            ctx.Step(acked ? "the SUT acknowledged it (" + status + "); watching the quiet window"
                           : "not acknowledged within the ack deadline; watching the quiet window");
            ctx.Linger(ctx.deadlines().quiet, [d = *d](Context& ctx) {
              auto x = ctx.Delivery(d);
              int fetches = x ? x->fetches : 0;
              ctx.Step("fetched " + std::to_string(fetches) + " time(s)");
              if (fetches > 2) {
                ctx.Fail("API-NO-REFETCH",
                         "DocId " + std::to_string(d.delivery) + " was fetched " +
                             std::to_string(fetches) + " times",
                         "one fetch (two at most, e.g. after a lost answer)",
                         std::to_string(fetches) + " fetches, status '" + x->status + "'");
              }
            });
          },
  };
}

}  // namespace vxp::conformance
