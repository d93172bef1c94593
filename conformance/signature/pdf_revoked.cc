// SIGNATURE-PDF-REVOKED: a PDF signed with a revoked certificate is rejected (edxml.md §7 (1)).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario SignaturePdfRevoked() {
  return {
      .id = "SIGNATURE-PDF-REVOKED",
      .title = "A PDF signed with a revoked certificate is rejected",
      .category = "signature",
      .claims = {"receive"},
      .requirements = {"RECV-REJECT-SIGNATURE", "LIFE-REASON", "API-FETCH"},
      .description =
          "A peer sends a document whose PDF is signed, but the signer certificate was revoked on "
          "2026-01-01 (listed in the test PKI CRL). The SUT must answer 02 with a reason, never "
          "03.",
      .run =
          [](Context& ctx) {
            ExpectPdfRejected(ctx, "revoked-signer.xml",
                              PdfSignedBy(ctx, "agency-revoked", {"vxpkit test document"}),
                              "DSIG-PDF-CERT-REVOKED");
          },
  };
}

}  // namespace vxp::conformance
