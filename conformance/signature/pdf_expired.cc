// SIGNATURE-PDF-EXPIRED: a PDF signed with an expired certificate is rejected (edxml.md §7 (1)).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario SignaturePdfExpired() {
  return {
      .id = "SIGNATURE-PDF-EXPIRED",
      .title = "A PDF signed with an expired certificate is rejected",
      .category = "signature",
      .claims = {"receive"},
      .requirements = {"RECV-REJECT-SIGNATURE", "LIFE-REASON", "API-FETCH"},
      .description =
          "A peer sends a document whose PDF is signed, but the signer certificate expired on "
          "2021-01-01. The SUT must answer 02 with a reason, never 03.",
      .run =
          [](Context& ctx) {
            ExpectPdfRejected(ctx, "expired-signer.xml",
                              PdfSignedBy(ctx, "agency-expired", {"vxpkit test document"}),
                              "DSIG-PDF-CERT-EXPIRED");
          },
  };
}

}  // namespace vxp::conformance
