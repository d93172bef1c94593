// SIGNATURE-VALID-PDF: a document whose PDF carries a valid signature is accepted (edxml.md §7
// (1)).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario SignatureValidPdf() {
  return {
      .id = "SIGNATURE-VALID-PDF",
      .title = "A document whose PDF is validly signed is accepted",
      .category = "signature",
      .claims = {"receive"},
      .requirements = {"RECV-ACCEPT-VALID", "RECV-VERIFY-SIGNATURE", "API-FETCH",
                       "RECV-01-AT-ONCE"},
      .description =
          "A peer sends a document whose PDF attachment is signed (PAdES/CMS) by a certificate of "
          "the test PKI, valid and not revoked. The SUT must accept it (03): a SUT that distrusts "
          "the test root or mis-verifies rejects it.",
      .run = [](Context& ctx) { ExpectAccepted(ctx, "signed-pdf.xml", ctx.NewDocument()); },
  };
}

}  // namespace vxp::conformance
