// FLOW-REPLACE: a replace document is answered 15 or 16 (edxml.md §3, §4).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario FlowReplace() {
  return {
      .id = "FLOW-REPLACE",
      .title = "A replace of an accepted document is answered 15 or 16",
      .category = "flows",
      .claims = {"receive", "replace"},
      .requirements = {"RECV-REQUEST-ANSWER", "LIFE-REASON", "API-FETCH", "RECV-01-AT-ONCE",
                       "RECV-ACCEPT-VALID"},
      .description =
          "A valid document is accepted; the sender then replaces it (BussinessDocType 3). The SUT "
          "must answer it with 01 then 15 (agreed) or 16 (refused, with a reason).",
      .run = [](Context& ctx) { ExpectRequestAnswered(ctx, 3); },
  };
}

}  // namespace vxp::conformance
