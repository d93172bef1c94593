// LIFECYCLE-ADDRESSEE: statuses go from the recipient to the sender (edxml.md §4, routing).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario LifecycleAddressee() {
  return {
      .id = "LIFECYCLE-ADDRESSEE",
      .title = "Statuses come from the SUT's agency and go to the sender",
      .category = "lifecycle",
      .claims = {"receive"},
      .requirements = {"LIFE-WRONG-PARTY", "API-FETCH"},
      .description =
          "A valid document is sent. Every status the SUT sends about it must name the SUT's "
          "agency in From and the document's sender in ResponseFor/OrganId (the hub routes "
          "statuses by it).",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            const std::string id = p.document()->document_id;
            auto d = ctx.Send("document.xml", ctx.Bytes(p));
            if (!d || !AwaitFetch(ctx, *d, "the document")) return;
            const auto& dl = ctx.deadlines();
            ctx.WaitFor("statuses about the document", dl.arrived + dl.answer,
                        [&] { return ctx.Statuses(id).size() >= 2; });
            std::vector<harness::SutStatus> statuses = ctx.Statuses(id);
            if (statuses.empty()) {
              ctx.MissedDeadline("LIFE-WRONG-PARTY", "arrived + answer", dl.arrived + dl.answer,
                                 "statuses about '" + id + "'", Seen(ctx));
              return;
            }
            const auto& agencies = ctx.world().sut.agencies;
            for (const harness::SutStatus& s : statuses) {
              if (s.to != ctx.peer()) {
                ctx.Fail("LIFE-WRONG-PARTY",
                         "status " + s.code + " is addressed to " + s.to +
                             ", not to the document's sender",
                         ctx.peer(), s.to,
                         "/edXML/edXMLEnvelope/edXMLHeader/Status/ResponseFor/OrganId");
              }
              if (std::find(agencies.begin(), agencies.end(), s.from) == agencies.end()) {
                ctx.Fail(
                    "LIFE-WRONG-PARTY",
                    "status " + s.code + " comes from " + s.from + ", not from the SUT's agency",
                    ctx.sut_agency(), s.from,
                    "/edXML/edXMLEnvelope/edXMLHeader/Status/From/OrganId");
              }
            }
            ctx.Step(Seen(ctx));
          },
  };
}

}  // namespace vxp::conformance
