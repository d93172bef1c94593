// INBOUND-BAD-AGENCY-ID: documents whose sender writes its agency identifier in the legacy forms
// seen in real traffic are rejected in the strict (certification) mode (edxml.md §5; the rule
// AGENCY-5-FORMAT).
#include "conformance/common.h"

namespace vxp::conformance {
namespace {

// The legacy shapes edxml.md §5 lists from live traffic, made from the sender's own identifier
// (000.00.00.G22): levels dropped ("28.22.H17", "01.K36") and levels merged ("000.1137.H53").
std::vector<std::string> LegacyForms(const std::string& strict) {
  // strict is V1V2V3.Z1Z2.Y1Y2.MX1X2 (13 characters, checked by the harness's configuration).
  return {strict.substr(4),  // 00.00.G22: level 4 dropped
          strict.substr(7),  // 00.G22: levels 4 and 3 dropped
          strict.substr(0, 6) + strict.substr(7, 2) + strict.substr(9)};  // 000.0000.G22
}

}  // namespace

Scenario InboundBadAgencyId() {
  return {
      .id = "INBOUND-BAD-AGENCY-ID",
      .title = "Documents carrying a legacy agency identifier are rejected",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-REJECT-INVALID", "LIFE-REASON", "API-FETCH"},
      .description =
          "A peer sends three documents whose sender-written TraceHeader/OrganId is in a legacy "
          "form seen in real traffic, made from its own 000.00.00.G22: 00.00.G22 (a level "
          "dropped, like 28.22.H17), 00.G22 (two dropped, like 01.K36) and 000.0000.G22 (levels "
          "merged, like 000.1137.H53). The strict identifier form is a MUST in certification "
          "(QCVN 102:2016/BTTTT, agency identifier). The SUT must answer each with 02 and a "
          "reason, never 03.",
      .run =
          [](Context& ctx) {
            // One after another, each within its own deadlines; then one quiet window for all
            // three (the first one's window is the rest of the scenario).
            std::vector<std::string> answered;
            int n = 0;
            for (const std::string& legacy : LegacyForms(ctx.peer())) {
              edxml::Package p = ctx.NewDocument();
              p.trace_header_list->trace_headers.front().organ_id = legacy;
              ctx.Step("document " + std::to_string(++n) + ": TraceHeader/OrganId '" + legacy +
                       "'");
              const std::string& id = p.document()->document_id;
              if (SendRejected(ctx, "bad-agency-id-" + std::to_string(n) + ".xml", ctx.Bytes(p), id,
                               "AGENCY-5-FORMAT", "RECV-REJECT-INVALID")) {
                answered.push_back(id);
              }
              // A missed deadline (or a harness problem) is the verdict already; what was
              // answered is still judged after the window.
              if (!ctx.findings().empty() || ctx.override_verdict()) break;
            }
            if (answered.empty() || ctx.override_verdict()) return;
            ctx.Linger(ctx.deadlines().quiet, [answered](Context& ctx) {
              for (const std::string& id : answered) {
                JudgeRejected(ctx, id, "AGENCY-5-FORMAT", "RECV-REJECT-INVALID");
              }
            });
          },
  };
}

}  // namespace vxp::conformance
