// OUTBOUND-THREE-RECIPIENTS: a document to several recipients reaches each, and the SUT follows
// each (hub-api.md §5).
#include <set>

#include "conformance/common.h"
#include "core/common/datetime.h"
#include "core/edxml/validate.h"
#include "core/signing/trust.h"
#include "core/signing/verify.h"

namespace vxp::conformance {

Scenario OutboundThreeRecipients() {
  return {
      .id = "OUTBOUND-THREE-RECIPIENTS",
      .title = "A document the SUT sends to three agencies reaches each",
      .category = "outbound",
      .claims = {"send"},
      .requirements = {"SEND-ADDRESS", "SEND-FOLLOW-STATUS"},
      .description =
          "The SUT is asked to send one document to three peers. Its package must name all three "
          "in To, the hub must deliver a copy to each, and the SUT must acknowledge the statuses "
          "that come back from all three.",
      .needs_control = true,
      .needs_outbound = true,
      .run =
          [](Context& ctx) {
            wire::Millis since = ctx.Now();
            std::vector<std::string> to = {ctx.peer(0), ctx.peer(1), ctx.peer(2)};
            auto p = AskToSend(ctx, to, "SEND-ADDRESS");
            if (!p) return;
            const edxml::DocumentHeader* d = p->package ? p->package->document() : nullptr;
            std::vector<std::string> named;
            if (d != nullptr) {
              for (const auto& t : d->to) named.push_back(t.organ_id);
            }
            std::sort(named.begin(), named.end());
            std::vector<std::string> want = to;
            std::sort(want.begin(), want.end());
            if (named != want || !p->accepted) {
              std::string got;
              for (const std::string& t : named) got += (got.empty() ? "" : ", ") + t;
              ctx.Fail("SEND-ADDRESS", "the document does not reach the three recipients",
                       "To: " + want[0] + ", " + want[1] + ", " + want[2] + ", accepted by the hub",
                       "To: " + got + (p->accepted ? "" : "; refused with " + p->error_code));
              return;
            }
            const auto& dl = ctx.deadlines();
            auto budget = dl.fetch + dl.ack + 10 * dl.peer_poll;
            auto answered_by = [&] {
              std::set<std::string> from;
              for (const hub::Delivery& x : StatusItemsToSut(ctx, since)) {
                if (x.status == "done" || x.status == "fail") from.insert(x.from_code);
              }
              return from;
            };
            if (!ctx.WaitFor("statuses from all three", budget,
                             [&] { return answered_by().size() == 3; })) {
              ctx.MissedDeadline("SEND-FOLLOW-STATUS", "fetch + ack", budget,
                                 "statuses from all three recipients fetched and acknowledged",
                                 std::to_string(answered_by().size()) +
                                     " of 3 recipients' "
                                     "statuses acknowledged");
            }
          },
  };
}

}  // namespace vxp::conformance
