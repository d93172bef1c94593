// INBOUND-PROD-LEGACY-TRACE: a valid document with a legacy identifier in the hub's TraceHeader is
// accepted (production-shaped inbound; hub-api.md §5). A SUT that rejects what production delivers
// fails, naming the shape.
#include "conformance/common.h"
#include "core/common/datetime.h"

namespace vxp::conformance {

Scenario ProdLegacyTrace() {
  return {
      .id = "INBOUND-PROD-LEGACY-TRACE",
      .title = "A valid document with a legacy identifier in the hub's TraceHeader is accepted",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-PRODUCTION-SHAPES", "API-FETCH", "RECV-01-AT-ONCE",
                       "RECV-ACCEPT-VALID"},
      .description =
          "A peer's valid document reaches the SUT with a second TraceHeader appended by "
          "the hub on relay, its OrganId in a legacy form seen in live traffic "
          "(vxp.saas.03). The sender's own identifiers are strict; what a hub appends is "
          "not the sender's to fix (QCVN 102:2016/BTTTT §3; observed: live hub). The SUT "
          "must accept it (01, then 03).",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            edxml::RelayShape shape;
            shape.trace_organ_id = "vxp.saas.03";
            shape.trace_timestamp =
                FormatEdxmlTimestamp(CivilTime(ctx.Now() / 1000, kVietnamUtcOffsetMinutes));
            ExpectProductionShapeAccepted(ctx, "legacy-trace.xml", p, shape);
          },
  };
}

}  // namespace vxp::conformance
