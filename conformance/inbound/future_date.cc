// INBOUND-FUTURE-DATE: a document promulgated in the future is rejected with a reason
// (edxml.md §2 (1.4), §8.8; the rule EDXML-HDR-1.4-FUTURE).
#include "conformance/common.h"
#include "core/common/datetime.h"

namespace vxp::conformance {

Scenario InboundFutureDate() {
  return {
      .id = "INBOUND-FUTURE-DATE",
      .title = "A document whose PromulgationDate is in the future is rejected with a reason",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-REJECT-INVALID", "LIFE-REASON", "API-FETCH"},
      .description =
          "A peer sends a well-formed, signed document whose PromulgationDate is 30 days after "
          "today (Vietnam's date): a document cannot have been promulgated yet (QCVN "
          "102:2016/BTTTT §2 (1.4)). "
          "The SUT must answer 02 with a reason, never 03.",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            constexpr std::int64_t kThirtyDays = 30 * 24 * 3600;
            const std::string future = FormatEdxmlDate(
                CivilTime(ctx.Now() / 1000 + kThirtyDays, kVietnamUtcOffsetMinutes).date);
            p.document()->promulgation_info.promulgation_date = future;
            ctx.Step("PromulgationDate " + future + " (30 days ahead)");
            ExpectRejected(ctx, "future-date.xml", ctx.Bytes(p), p.document()->document_id,
                           "EDXML-HDR-1.4-FUTURE", "RECV-REJECT-INVALID");
          },
  };
}

}  // namespace vxp::conformance
