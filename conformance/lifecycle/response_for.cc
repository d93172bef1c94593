// LIFECYCLE-RESPONSE-FOR: a status names the document it answers (edxml.md §4, ResponseFor).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario LifecycleResponseFor() {
  return {
      .id = "LIFECYCLE-RESPONSE-FOR",
      .title = "Statuses name the document they answer",
      .category = "lifecycle",
      .claims = {"receive"},
      .requirements = {"STATUS-RESPONSE-FOR", "API-FETCH"},
      .description =
          "A valid document is sent. The SUT's statuses about it must carry its DocumentId and its "
          "Code (number/notation) in ResponseFor, or the sender cannot match them to the document.",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            const edxml::DocumentHeader& doc = *p.document();
            const std::string id = doc.document_id;
            const std::string code = doc.code.code_number + "/" + doc.code.code_notation;
            auto d = ctx.Send("document.xml", ctx.Bytes(p));
            if (!d || !AwaitFetch(ctx, *d, "the document")) return;
            const auto& dl = ctx.deadlines();
            bool answered = ctx.WaitFor("a status naming the document", dl.arrived,
                                        [&] { return !ctx.Statuses(id).empty(); });
            if (!answered) {
              // Statuses that name a document the harness never sent point at a broken
              // ResponseFor rather than a slow SUT.
              std::string strays;
              for (const harness::SutStatus& s : ctx.Statuses()) {
                if (!ctx.world().documents.contains(s.document_id)) {
                  strays += (strays.empty() ? "" : ", ") + s.code + " about '" + s.document_id +
                            "' (Code '" + s.notation + "')";
                }
              }
              if (!strays.empty()) {
                ctx.Fail("STATUS-RESPONSE-FOR",
                         "the SUT's statuses name a document it never received",
                         "ResponseFor/DocumentId '" + id + "', Code '" + code + "'", strays,
                         "/edXML/edXMLEnvelope/edXMLHeader/Status/ResponseFor/DocumentId");
              } else {
                ctx.MissedDeadline("RECV-01-AT-ONCE", "arrived", dl.arrived,
                                   "a status about '" + id + "'", Seen(ctx));
              }
              return;
            }
            for (const harness::SutStatus& s : ctx.Statuses(id)) {
              if (s.notation != code) {
                ctx.Fail("STATUS-RESPONSE-FOR", "status " + s.code + " names another Code", code,
                         s.notation, "/edXML/edXMLEnvelope/edXMLHeader/Status/ResponseFor/Code");
              }
            }
            ctx.Step(Seen(ctx));
          },
  };
}

}  // namespace vxp::conformance
