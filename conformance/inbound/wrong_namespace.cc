// INBOUND-WRONG-NAMESPACE: a package in another namespace (QCVN 102:2015) is not a QCVN 102:2016
// document (edxml.md §1); it must be refused, never accepted.
#include "conformance/common.h"

namespace vxp::conformance {

Scenario InboundWrongNamespace() {
  return {
      .id = "INBOUND-WRONG-NAMESPACE",
      .title = "A package in the wrong namespace is refused, never accepted",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-UNREADABLE", "API-ACK", "API-FETCH"},
      .description =
          "A document in the namespace http://www.mic.gov.vn/TBT/QCVN_102_2015 reaches the SUT "
          "(placed in its queue: the simulator's sendEdoc refuses it). The SUT must acknowledge "
          "it 'fail', or answer 02 with a reason; never 03, and never 'done' with no answer.",
      .run =
          [](Context& ctx) {
            std::string bytes = ctx.Bytes(ctx.NewDocument());
            const std::string from = "http://www.mic.gov.vn/TBT/QCVN_102_2016";
            const std::string to = "http://www.mic.gov.vn/TBT/QCVN_102_2015";
            int replaced = 0;
            for (size_t at = bytes.find(from); at != std::string::npos;
                 at = bytes.find(from, at + to.size())) {
              bytes.replace(at, from.size(), to);
              ++replaced;
            }
            if (replaced == 0) {
              ctx.Error("the serialised document names no QCVN_102_2016 namespace");
              return;
            }
            ExpectUnreadable(ctx, "wrong-namespace.xml", bytes);
          },
  };
}

}  // namespace vxp::conformance
