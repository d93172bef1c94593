// TRANSPORT-POLL-BOTH: the SUT lists both message types, documents and statuses (hub-api.md §4.1),
// and fetches a status addressed to it.
#include "conformance/common.h"

namespace vxp::conformance {

Scenario TransportPollBoth() {
  return {
      .id = "TRANSPORT-POLL-BOTH",
      .title = "The SUT polls documents and statuses, and fetches a status sent to it",
      .category = "transport",
      .claims = {"receive"},
      .requirements = {"API-POLL-BOTH", "API-FETCH"},
      .description =
          "A peer sends the SUT a status message (03 about a document the SUT is said to have "
          "sent). The SUT must call getReceivedEdocList with messagetype=edoc and with "
          "messagetype=status, and fetch the status item, within the fetch deadline.",
      .run =
          [](Context& ctx) {
            edxml::Package status =
                ctx.Status("03", ctx.peer(), ctx.sut_agency(),
                           ctx.sut_agency() + ",2026/11/20,1/VXP-KIEMTHU", "1/VXP-KIEMTHU", "");
            auto d = ctx.Send("status-03.xml", ctx.Bytes(status), "status");
            if (!d) return;
            auto polled = [&](std::string_view type) {
              for (const harness::Exchange& x : ctx.Exchanges()) {
                if (x.operation == "getReceivedEdocList" && x.error_code == "0" &&
                    x.Param("messagetype") == type) {
                  return true;
                }
              }
              return false;
            };
            ctx.WaitFor("polls of both types", ctx.deadlines().fetch,
                        [&] { return polled("edoc") && polled("status"); });
            for (const char* type : {"edoc", "status"}) {
              if (!polled(type)) {
                ctx.MissedDeadline("API-POLL-BOTH", "fetch", ctx.deadlines().fetch,
                                   std::string("getReceivedEdocList with messagetype=") + type,
                                   "the SUT never listed that message type");
              }
            }
            if (polled("status")) AwaitFetch(ctx, *d, "the status item");
          },
  };
}

}  // namespace vxp::conformance
