// FLOW-UPDATE: a update document is answered 15 or 16 (edxml.md §3, §4).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario FlowUpdate() {
  return {
      .id = "FLOW-UPDATE",
      .title = "An update of an accepted document is answered 15 or 16",
      .category = "flows",
      .claims = {"receive", "update"},
      .requirements = {"RECV-REQUEST-ANSWER", "LIFE-REASON", "API-FETCH", "RECV-01-AT-ONCE",
                       "RECV-ACCEPT-VALID"},
      .description =
          "A valid document is accepted; the sender then sends an update of it (BussinessDocType "
          "2, metadata changed). The SUT must answer it with 01 then 15 (agreed) or 16 (refused, "
          "with a reason).",
      .run = [](Context& ctx) { ExpectRequestAnswered(ctx, 2); },
  };
}

}  // namespace vxp::conformance
