// OUTBOUND-STATUSES: the SUT follows its documents: it fetches and acknowledges their statuses
// (hub-api.md §4).
#include <algorithm>

#include "conformance/common.h"
#include "harness/profile.h"

namespace vxp::conformance {

Scenario OutboundStatuses() {
  return {
      .id = "OUTBOUND-STATUSES",
      .title = "The SUT fetches and acknowledges the statuses its document receives",
      .category = "outbound",
      .claims = {"send"},
      .requirements = {"SEND-FOLLOW-STATUS", "API-POLL-BOTH", "API-ACK"},
      .description =
          "The SUT is asked to send a document to a peer, which answers it as a conforming "
          "receiver does: 01, 03, 04, 05 and 06, or 01 and 02 when it rejects the document. The "
          "SUT must fetch and acknowledge each status message the peer actually sent.",
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
            if (!p->package || !p->package->document()) return;  // judged by JudgeSubmitted
            const std::string id = p->package->document()->document_id;
            // What the peer really answered: 01 03 04 05 06 for a document it accepted, 01 02
            // for one it rejected. The SUT is judged on following those, not on the peer's
            // verdict (other scenarios judge the document itself).
            auto peer_sent = [&] {
              std::vector<std::string> codes;
              for (const mock::HeldDocument& h : ctx.hub().PeerRecords(0)) {
                if (h.direction != "received" || h.document_id != id) continue;
                for (const mock::StatusRecord& r : h.statuses) {
                  if (r.direction == "sent") codes.push_back(r.code);
                }
              }
              return codes;
            };
            auto finished = [](const std::vector<std::string>& codes) {
              return !codes.empty() && (codes.back() == "02" || codes.back() == "06");
            };
            const auto& dl = ctx.deadlines();
            auto budget = dl.fetch + dl.ack + 10 * dl.peer_poll;
            bool all = ctx.WaitFor("the SUT to acknowledge the peer's statuses", budget, [&] {
              std::vector<std::string> sent = peer_sent();
              auto items = StatusItemsToSut(ctx, since);
              return finished(sent) && items.size() >= sent.size() &&
                     std::all_of(items.begin(), items.end(),
                                 [](auto& d) { return d.status == "done" || d.status == "fail"; });
            });
            std::vector<std::string> sent = peer_sent();
            std::string codes;
            for (const std::string& c : sent) codes += (codes.empty() ? "" : " ") + c;
            auto items = StatusItemsToSut(ctx, since);
            int acked = 0;
            std::string unacked;
            for (const hub::Delivery& d : items) {
              if (d.status == "done" || d.status == "fail") {
                ++acked;
              } else if (unacked.empty()) {
                unacked =
                    NotAcknowledged(ctx, Delivered{d.sender_doc_id, d.doc_id, "status"}, d.status);
              }
            }
            ctx.Step("the peer answered " + (codes.empty() ? std::string("nothing") : codes) +
                     "; " + std::to_string(items.size()) + " status messages for the SUT, " +
                     std::to_string(acked) + " acknowledged");
            if (!finished(sent)) {
              ctx.Inconclusive("the peer " + ctx.peer() +
                               " did not finish answering the SUT's "
                               "document within " +
                               FormatDuration(budget) + " (it sent: " +
                               (codes.empty() ? std::string("nothing") : codes) + ")");
              return;
            }
            if (!all) {
              ctx.MissedDeadline(
                  "SEND-FOLLOW-STATUS", "fetch + ack", budget,
                  "the " + std::to_string(sent.size()) + " statuses the peer sent (" + codes +
                      ") fetched and acknowledged",
                  std::to_string(items.size()) + " delivered, " + std::to_string(acked) +
                      " acknowledged" + (unacked.empty() ? "" : "; first one not: " + unacked));
            }
          },
  };
}

}  // namespace vxp::conformance
