// SIGNATURE-PDF-KEY-USAGE: a PDF signed with a certificate whose key usage excludes signing is
// rejected (edxml.md §7 (1)).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario SignaturePdfKeyUsage() {
  return {
      .id = "SIGNATURE-PDF-KEY-USAGE",
      .title = "A PDF signed with a certificate not meant for signing is rejected",
      .category = "signature",
      .claims = {"receive"},
      .requirements = {"RECV-REJECT-SIGNATURE", "LIFE-REASON", "API-FETCH"},
      .description =
          "A peer sends a document whose PDF is signed, but the signer certificate allows "
          "keyEncipherment only, not digital signatures. The SUT must answer 02 with a reason, "
          "never 03.",
      .run =
          [](Context& ctx) {
            ExpectPdfRejected(ctx, "wrong-key-usage-signer.xml",
                              PdfSignedBy(ctx, "agency-wrong-key-usage", {"vxpkit test document"}),
                              "DSIG-PDF-CERT-KEY-USAGE");
          },
  };
}

}  // namespace vxp::conformance
