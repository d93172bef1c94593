// SIGNATURE-PDF-UNTRUSTED: a PDF whose signer does not chain to the trusted root is rejected
// (edxml.md §7 (1)).
#include "conformance/common.h"

namespace vxp::conformance {

Scenario SignaturePdfUntrusted() {
  return {
      .id = "SIGNATURE-PDF-UNTRUSTED",
      .title = "A PDF signed under an untrusted root is rejected",
      .category = "signature",
      .claims = {"receive"},
      .requirements = {"RECV-REJECT-SIGNATURE", "LIFE-REASON", "API-FETCH"},
      .description =
          "A peer sends a document whose PDF is signed, but the signer certificate chains to a "
          "root nobody trusts. The SUT must answer 02 with a reason, never 03.",
      .run =
          [](Context& ctx) {
            ExpectPdfRejected(ctx, "untrusted-signer.xml",
                              PdfSignedBy(ctx, "agency-untrusted", {"vxpkit test document"}),
                              "DSIG-PDF-CERT-CHAIN");
          },
  };
}

}  // namespace vxp::conformance
