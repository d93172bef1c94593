// HUB-SLOW: a slow hub does not make the SUT lose a document (hub-api.md §4; vxpkit robustness
// requirement).
#include "conformance/common.h"
#include "simulator/hub/faults.h"

namespace vxp::conformance {

Scenario HubSlow() {
  return {
      .id = "HUB-SLOW",
      .title = "The SUT copes with a slow hub and loses nothing",
      .category = "hub",
      .requirements = {"API-RETRY"},
      .description =
          "The hub delays the SUT's first two fetches by the profile's hub_latency (longer than "
          "many clients wait). The SUT must fetch the document again if it gave up, and answer 01 "
          "and 03 once: nothing lost, nothing doubled.",
      .run =
          [](Context& ctx) {
            const std::string system = ctx.world().sut.system_id;
            const std::string ms = std::to_string(ctx.deadlines().hub_latency.count());
            for (const std::string& spec :
                 {"latency,op=getEdoc,system=" + system + ",ms=" + ms + ",times=2"}) {
              auto fault = hub::ParseFault(spec);
              if (!fault) {
                ctx.Error("fault '" + spec + "': " + fault.error().message);
                return;
              }
              ctx.hub().faults().Add(*fault);
              ctx.Step("injected the hub fault " + spec);
            }
            struct Clear {
              hub::FaultSet& faults;
              ~Clear() { faults.Clear(); }
            } clear{ctx.hub().faults()};
            edxml::Package p = ctx.NewDocument();
            const std::string id = p.document()->document_id;
            auto d = ctx.Send("document.xml", ctx.Bytes(p));
            if (!d) return;
            const auto& dl = ctx.deadlines();
            auto budget = dl.fetch + dl.arrived + dl.answer + 3 * dl.hub_latency;
            if (!AwaitCode(ctx, id, ctx.peer(), {"02", "03"}, "fetch + arrived + answer", budget)) {
              auto x = ctx.Delivery(*d);
              ctx.MissedDeadline(
                  "API-RETRY", "fetch + arrived + answer (+ the hub's delays)", budget,
                  "the document fetched and answered 01, 03 despite the hub's faults",
                  (x && x->status == "done" ? "it was acknowledged 'done' but never "
                                              "answered: lost; "
                                            : "") +
                      Seen(ctx));
              return;
            }
            ctx.Watch(dl.quiet);
            int arrived = 0, accepted = 0;
            for (const std::string& c : ctx.Codes(id, ctx.peer())) {
              arrived += c == "01";
              accepted += c == "03";
            }
            ctx.Step(Seen(ctx));
            if (arrived != 1 || accepted != 1) {
              ctx.Fail("API-RETRY", "the document was not answered exactly once",
                       "one 01 and one 03",
                       std::to_string(arrived) + " × 01, " + std::to_string(accepted) + " × 03");
            }
          },
  };
}

}  // namespace vxp::conformance
