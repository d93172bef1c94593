// INBOUND-PROD-VNPT-SIGNATURE: a valid document whose envelope Signature the hub moved into the
// edXML namespace is accepted (production-shaped inbound; hub-api.md §5). A SUT that rejects what
// production delivers fails, naming the shape.
#include "conformance/common.h"

namespace vxp::conformance {

Scenario ProdVnptSignature() {
  return {
      .id = "INBOUND-PROD-VNPT-SIGNATURE",
      .title =
          "A valid document whose envelope Signature the hub moved into the edXML namespace is "
          "accepted",
      .category = "inbound",
      .claims = {"receive"},
      .requirements = {"RECV-PRODUCTION-SHAPES", "API-FETCH", "RECV-01-AT-ONCE",
                       "RECV-ACCEPT-VALID"},
      .description =
          "A peer signs its valid document's envelope (XML-DSig) and the live hub's "
          "re-serialisation moves the Signature into the edXML namespace, where it can no "
          "longer be verified (observed: live hub, VNPT library). The envelope signature is "
          "optional; the signed PDF carries the document's legal effect (Decision "
          "28/2018/QĐ-TTg art. 9). The SUT must accept it (01, then 03).",
      .run =
          [](Context& ctx) {
            edxml::Package p = ctx.NewDocument();
            std::string bytes = SignedEnvelope(ctx, p);
            if (bytes.empty()) return;
            ExpectProductionShapeAccepted(ctx, "vnpt-signature.xml", p, {.vnpt_signature = true},
                                          bytes);
          },
  };
}

}  // namespace vxp::conformance
