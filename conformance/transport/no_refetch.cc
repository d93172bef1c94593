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
          "A valid document is sent; after the SUT fetched it, the harness watches for the fetch "
          "and quiet windows. More than two fetches of the same DocId means the SUT fetches it "
          "again and again (usually because it never acknowledges).",
      .run =
          [](Context& ctx) {
            auto d = ctx.Send("document.xml", ctx.Bytes(ctx.NewDocument()));
            if (!d || !AwaitFetch(ctx, *d, "the document")) return;
            ctx.Watch(ctx.deadlines().ack + ctx.deadlines().quiet);
            auto x = ctx.Delivery(*d);
            int fetches = x ? x->fetches : 0;
            ctx.Step("fetched " + std::to_string(fetches) + " time(s)");
            if (fetches > 2) {
              ctx.Fail("API-NO-REFETCH",
                       "DocId " + std::to_string(d->delivery) + " was fetched " +
                           std::to_string(fetches) + " times",
                       "one fetch (two at most, e.g. after a lost answer)",
                       std::to_string(fetches) + " fetches, status '" + x->status + "'");
            }
          },
  };
}

}  // namespace vxp::conformance
